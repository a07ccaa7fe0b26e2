//! A tiny little-endian binary format for model files: a magic string, a
//! format version, then sections written by the models themselves.

use crate::Error;

pub(crate) const MAGIC: &[u8; 8] = b"PETRELNL";
pub(crate) const VERSION: u32 = 1;

#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn header(kind: &str) -> Writer {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.str(kind);
        w
    }
    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
    }
}

pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    name: &'a str,
}

impl<'a> Reader<'a> {
    /// Check the header and return a reader positioned after it.
    pub(crate) fn open(data: &'a [u8], name: &'a str, kind: &str) -> Result<Reader<'a>, Error> {
        let mut r = Reader { data, pos: 0, name };
        let magic = r.bytes(8, "magic")?;
        if magic != MAGIC {
            return Err(Error::Model(format!(
                "{name}: not a Petrel NLP model (bad magic)"
            )));
        }
        let v = r.u32("version")?;
        if v != VERSION {
            return Err(Error::Model(format!(
                "{name}: model format version {v}, this build reads {VERSION}"
            )));
        }
        let k = r.str("kind")?;
        if k != kind {
            return Err(Error::Model(format!(
                "{name}: model kind {k:?}, expected {kind:?}"
            )));
        }
        Ok(r)
    }
    fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8], Error> {
        if self.data.len() - self.pos < n {
            return Err(Error::Model(format!(
                "{}: truncated at byte {} while reading {what} ({n} bytes needed, {} left)",
                self.name,
                self.pos,
                self.data.len() - self.pos
            )));
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.bytes(1, what)?[0])
    }
    pub(crate) fn u16(&mut self, what: &str) -> Result<u16, Error> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, Error> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn u64(&mut self, what: &str) -> Result<u64, Error> {
        let b = self.bytes(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    pub(crate) fn str(&mut self, what: &str) -> Result<String, Error> {
        let n = self.u32(what)? as usize;
        let b = self.bytes(n, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| {
            Error::Model(format!(
                "{}: {what} is not UTF-8 (byte {})",
                self.name, self.pos
            ))
        })
    }
    /// A count that must be plausible for the bytes left (each item taking
    /// at least `min_item` bytes).
    pub(crate) fn count(&mut self, what: &str, min_item: usize) -> Result<usize, Error> {
        let n = self.u32(what)? as usize;
        if n.saturating_mul(min_item.max(1)) > self.data.len() - self.pos {
            return Err(Error::Model(format!(
                "{}: {what} count {n} exceeds the file size",
                self.name
            )));
        }
        Ok(n)
    }
    pub(crate) fn name(&self) -> &str {
        self.name
    }
    pub(crate) fn finish(&self) -> Result<(), Error> {
        if self.pos != self.data.len() {
            return Err(Error::Model(format!(
                "{}: {} trailing bytes after the model",
                self.name,
                self.data.len() - self.pos
            )));
        }
        Ok(())
    }
}
