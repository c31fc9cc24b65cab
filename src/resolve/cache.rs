//! The DOI cache: definitive answers with the time they were had, in one JSON file.
//!
//! Writes are atomic (a temporary file renamed over the cache) and merge with what is on
//! disk under a lock file, so two argmap processes at once neither corrupt the file nor
//! drop each other's answers. A file that cannot be read as a cache is reported and
//! rebuilt, never trusted in part.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Record;
use super::csl::Metadata;

const FORMAT: &str = "argmap-doi-cache";
const VERSION: u32 = 1;

/// How long a lock file may stand before it is taken for the leftover of a killed run.
const STALE_LOCK: Duration = Duration::from_secs(30);
/// How long a writer waits for another's lock before writing anyway (the rename keeps
/// the file whole; at worst the other run's newest answers are asked for again).
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A definitive answer, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Stored {
    Found {
        #[serde(default = "not_fetched")]
        metadata: StoredMetadata,
    },
    NotFound,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoredMetadata {
    /// Existence only (`--no-metadata`).
    NotFetched,
    /// The agency offers no CSL-JSON for this DOI.
    None,
    Csl(Metadata),
}

fn not_fetched() -> StoredMetadata {
    StoredMetadata::NotFetched
}

impl From<&Record> for StoredMetadata {
    fn from(r: &Record) -> Self {
        match r {
            Record::Unchecked => StoredMetadata::NotFetched,
            Record::NoMetadata => StoredMetadata::None,
            Record::Metadata(m) => StoredMetadata::Csl(m.clone()),
        }
    }
}

impl From<StoredMetadata> for Record {
    fn from(m: StoredMetadata) -> Self {
        match m {
            StoredMetadata::NotFetched => Record::Unchecked,
            StoredMetadata::None => Record::NoMetadata,
            StoredMetadata::Csl(m) => Record::Metadata(m),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Seconds since the Unix epoch when the answer was had.
    pub checked: u64,
    #[serde(flatten)]
    pub answer: Stored,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    entries: &'a std::collections::BTreeMap<&'a str, &'a Entry>,
}

#[derive(Deserialize)]
struct FileIn {
    format: String,
    version: u32,
    entries: HashMap<String, Entry>,
}

/// How old an answer may be and still be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxAge {
    pub found: Duration,
    pub not_found: Duration,
}

impl Default for MaxAge {
    fn default() -> Self {
        MaxAge {
            found: Duration::from_secs(7 * 24 * 3600),
            not_found: Duration::from_secs(24 * 3600),
        }
    }
}

/// The cache of one run: what was on disk, and what this run learnt.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    entries: HashMap<String, Entry>,
    /// Keys this run answered: the only entries it writes over others'.
    learnt: Vec<String>,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Reads the cache at `path`. A missing file is an empty cache; a file that is not an
    /// argmap DOI cache is an empty cache and a warning (it is replaced on the next save).
    pub fn load(path: &Path) -> (Cache, Option<String>) {
        let mut cache = Cache {
            path: path.to_owned(),
            entries: HashMap::new(),
            learnt: Vec::new(),
        };
        let warning = match read(path) {
            Ok(entries) => {
                cache.entries = entries;
                None
            }
            Err(ReadError::Missing) => None,
            Err(e) => Some(format!(
                "the DOI cache {} {e}; it will be rebuilt",
                path.display()
            )),
        };
        (cache, warning)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The answer for `key` if it is younger than its maximum age at time `now`.
    pub fn get(&self, key: &str, now: u64, max_age: MaxAge) -> Option<&Stored> {
        let entry = self.entries.get(key)?;
        let limit = match entry.answer {
            Stored::Found { .. } => max_age.found,
            Stored::NotFound => max_age.not_found,
        };
        // An answer from the future (a clock set back) is not trusted either.
        let age = now.checked_sub(entry.checked)?;
        (age < limit.as_secs()).then_some(&entry.answer)
    }

    /// Records a definitive answer.
    pub fn put(&mut self, key: String, answer: Stored, now: u64) {
        self.entries.insert(
            key.clone(),
            Entry {
                checked: now,
                answer,
            },
        );
        self.learnt.push(key);
    }

    /// Whether this run learnt anything to write.
    pub fn is_dirty(&self) -> bool {
        !self.learnt.is_empty()
    }

    /// Writes what this run learnt, merged into the file as it is now on disk.
    pub fn save(&self) -> io::Result<()> {
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.exists() {
            fs::create_dir_all(dir)?;
            // A folder argmap made for its cache keeps itself out of version control.
            fs::write(dir.join(".gitignore"), "*\n")?;
        }
        let _lock = Lock::acquire(&lock_path(&self.path));
        let mut merged = read(&self.path).unwrap_or_default();
        for key in &self.learnt {
            let ours = &self.entries[key];
            let keep_theirs = merged.get(key).is_some_and(|e| e.checked > ours.checked);
            if !keep_theirs {
                merged.insert(key.clone(), ours.clone());
            }
        }
        let sorted = merged.iter().map(|(k, e)| (k.as_str(), e)).collect();
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(
            &mut tmp,
            &FileOut {
                format: FORMAT,
                version: VERSION,
                entries: &sorted,
            },
        )?;
        tmp.write_all(b"\n")?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
enum ReadError {
    #[error("does not exist")]
    Missing,
    #[error("cannot be read ({0})")]
    Io(io::Error),
    #[error("is not an argmap DOI cache ({0})")]
    Foreign(String),
}

fn read(path: &Path) -> Result<HashMap<String, Entry>, ReadError> {
    let text = match fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Io(e)),
    };
    let file: FileIn =
        serde_json::from_slice(&text).map_err(|e| ReadError::Foreign(e.to_string()))?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(ReadError::Foreign(format!(
            "format `{}` version {}",
            file.format, file.version
        )));
    }
    Ok(file.entries)
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    path.with_file_name(name)
}

/// A lock file created exclusively, removed on drop.
struct Lock(Option<PathBuf>);

impl Lock {
    /// Takes the lock, breaking a stale one; after [`LOCK_WAIT`] goes on without it.
    fn acquire(path: &Path) -> Lock {
        let start = std::time::Instant::now();
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(_) => return Lock(Some(path.to_owned())),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let stale = fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > STALE_LOCK);
                    if stale {
                        let _ = fs::remove_file(path);
                        continue;
                    }
                }
                // A read-only folder: writing will fail and say why.
                Err(_) => return Lock(None),
            }
            if start.elapsed() > LOCK_WAIT {
                return Lock(None);
            }
            std::thread::sleep(Duration::from_millis(5 + fastrand::u64(0..10)));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found() -> Stored {
        Stored::Found {
            metadata: StoredMetadata::Csl(Metadata {
                title: Some("Water".into()),
                ..Metadata::default()
            }),
        }
    }

    #[test]
    fn answers_round_trip_and_age() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".argmap/doi-cache.json");
        let (mut cache, warning) = Cache::load(&path);
        assert_eq!(warning, None);
        cache.put("10.1/a".into(), found(), 1_000_000);
        cache.put("10.1/b".into(), Stored::NotFound, 1_000_000);
        cache.save().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(".argmap/.gitignore")).unwrap(),
            "*\n"
        );

        let (cache, warning) = Cache::load(&path);
        assert_eq!(warning, None);
        let age = MaxAge::default();
        let day = 24 * 3600;
        assert_eq!(cache.get("10.1/a", 1_000_000 + day, age), Some(&found()));
        assert_eq!(
            cache.get("10.1/b", 1_000_000 + day - 1, age),
            Some(&Stored::NotFound)
        );
        assert_eq!(cache.get("10.1/b", 1_000_000 + day, age), None);
        assert_eq!(cache.get("10.1/a", 1_000_000 + 7 * day, age), None);
        assert_eq!(cache.get("10.1/a", 999_999, age), None, "from the future");
        assert!(!cache.is_dirty());
    }

    #[test]
    fn corrupt_and_foreign_files_are_reported_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        for bad in [
            "{not json",
            r#"{"format": "lychee", "version": 1, "entries": {}}"#,
            r#"{"format": "argmap-doi-cache", "version": 99, "entries": {}}"#,
            r#"{"format": "argmap-doi-cache", "version": 1, "entries": {"x": {"status": "??"}}}"#,
        ] {
            fs::write(&path, bad).unwrap();
            let (mut cache, warning) = Cache::load(&path);
            assert!(warning.unwrap().contains("will be rebuilt"), "{bad}");
            cache.put("10.1/a".into(), Stored::NotFound, 5);
            cache.save().unwrap();
            let (cache, warning) = Cache::load(&path);
            assert_eq!(warning, None);
            assert!(cache.entries.contains_key("10.1/a"));
        }
    }

    #[test]
    fn concurrent_writers_keep_every_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doi-cache.json");
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for i in 0..25 {
                        let (mut cache, warning) = Cache::load(&path);
                        assert_eq!(warning, None);
                        cache.put(format!("10.{w}/{i}"), Stored::NotFound, 7);
                        cache.save().unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let (cache, warning) = Cache::load(&path);
        assert_eq!(warning, None);
        assert_eq!(cache.entries.len(), 100);
        assert!(!lock_path(&path).exists());
    }

    #[test]
    fn a_newer_answer_on_disk_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let (mut old, _) = Cache::load(&path);
        let (mut new, _) = Cache::load(&path);
        new.put("10.1/a".into(), found(), 200);
        new.save().unwrap();
        old.put("10.1/a".into(), Stored::NotFound, 100);
        old.save().unwrap();
        let (cache, _) = Cache::load(&path);
        assert_eq!(cache.get("10.1/a", 201, MaxAge::default()), Some(&found()));
    }
}
