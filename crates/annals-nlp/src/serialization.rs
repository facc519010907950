//! The binary model format shared by the tagger, lemmatizer and parser.
//!
//! A file is a header (magic, model kind, format version) followed by little-endian
//! sections written and read by hand, so that the format is explicit and versioned and
//! a truncated or foreign file is refused with a clear error instead of a panic.

/// Bytes at the start of every annals model file.
pub const MAGIC: &[u8; 8] = b"ANNALSM\x01";

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not an annals model file")]
    BadMagic,
    #[error("model kind is {found:?}, expected {expected:?}")]
    WrongKind { expected: String, found: String },
    #[error("model format version {found} is not supported (this build reads version {supported})")]
    Version { found: u32, supported: u32 },
    #[error("model file truncated or corrupt at byte {0}")]
    Truncated(usize),
    #[error("model file corrupt: {0}")]
    Corrupt(String),
}

/// Appends little-endian values to a byte buffer.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    /// Starts a file of `kind` at `version`.
    pub fn new(kind: &str, version: u32) -> Self {
        let mut w = Writer { buf: Vec::new() };
        w.buf.extend_from_slice(MAGIC);
        w.str(kind);
        w.u32(version);
        w
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn strs(&mut self, v: &[String]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.buf.extend_from_slice(b);
    }
    pub fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        for &x in v {
            self.u32(x);
        }
    }
    pub fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        for &x in v {
            self.u64(x);
        }
    }
    pub fn i16s(&mut self, v: &[i16]) {
        self.len(v.len());
        for &x in v {
            self.buf.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Reads what [`Writer`] wrote, refusing truncated input.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Checks the header and returns a reader positioned after it, plus the version.
    pub fn open(buf: &'a [u8], kind: &str, supported: u32) -> Result<Self, ModelError> {
        if buf.len() < MAGIC.len() || &buf[..MAGIC.len()] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut r = Reader { buf, pos: MAGIC.len() };
        let found = r.str()?;
        if found != kind {
            return Err(ModelError::WrongKind { expected: kind.to_string(), found });
        }
        let version = r.u32()?;
        if version != supported {
            return Err(ModelError::Version { found: version, supported });
        }
        Ok(r)
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).ok_or(ModelError::Truncated(self.pos))?;
        let s = self.buf.get(self.pos..end).ok_or(ModelError::Truncated(self.pos))?;
        self.pos = end;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    pub fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    pub fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.arr()?))
    }
    /// A length, checked against the bytes left so corrupt input cannot ask for huge allocations.
    pub fn len(&mut self, elem_size: usize) -> Result<usize, ModelError> {
        let at = self.pos;
        let n = usize::try_from(self.u64()?).map_err(|_| ModelError::Truncated(at))?;
        if n.saturating_mul(elem_size.max(1)) > self.buf.len() - self.pos {
            return Err(ModelError::Truncated(at));
        }
        Ok(n)
    }
    pub fn str(&mut self) -> Result<String, ModelError> {
        let n = self.len(1)?;
        let at = self.pos;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| ModelError::Corrupt(format!("invalid UTF-8 at byte {at}")))
    }
    pub fn strs(&mut self) -> Result<Vec<String>, ModelError> {
        let n = self.len(8)?;
        (0..n).map(|_| self.str()).collect()
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], ModelError> {
        let n = self.len(1)?;
        self.take(n)
    }
    pub fn u32s(&mut self) -> Result<Vec<u32>, ModelError> {
        let n = self.len(4)?;
        let b = self.take(n * 4)?;
        Ok(b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }
    pub fn u64s(&mut self) -> Result<Vec<u64>, ModelError> {
        let n = self.len(8)?;
        let b = self.take(n * 8)?;
        Ok(b.chunks_exact(8).map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect())
    }
    pub fn i16s(&mut self) -> Result<Vec<i16>, ModelError> {
        let n = self.len(2)?;
        let b = self.take(n * 2)?;
        Ok(b.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect())
    }
    /// Fails unless every byte was read.
    pub fn finish(self) -> Result<(), ModelError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(ModelError::Corrupt(format!("{} trailing bytes", self.buf.len() - self.pos)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_values_round_trip() {
        let mut w = Writer::new("test", 3);
        w.u8(7);
        w.str("héllo");
        w.u32s(&[1, 2]);
        w.i16s(&[-5, 9]);
        w.f32(1.5);
        let mut r = Reader::open(&w.buf, "test", 3).unwrap();
        assert_eq!(r.u8().unwrap(), 7);
        assert_eq!(r.str().unwrap(), "héllo");
        assert_eq!(r.u32s().unwrap(), vec![1, 2]);
        assert_eq!(r.i16s().unwrap(), vec![-5, 9]);
        assert_eq!(r.f32().unwrap(), 1.5);
        r.finish().unwrap();
        assert!(matches!(Reader::open(&w.buf, "other", 3), Err(ModelError::WrongKind { .. })));
        assert!(matches!(Reader::open(&w.buf, "test", 4), Err(ModelError::Version { .. })));
        assert!(matches!(Reader::open(b"junk", "test", 3), Err(ModelError::BadMagic)));
        for cut in 0..w.buf.len() {
            let r = Reader::open(&w.buf[..cut], "test", 3).and_then(|mut r| {
                r.u8()?;
                r.str()?;
                r.u32s()?;
                r.i16s()?;
                r.f32()?;
                r.finish()
            });
            assert!(r.is_err(), "cut at {cut}");
        }
    }
}
