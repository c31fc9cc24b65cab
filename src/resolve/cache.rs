//! The DOI cache: definitive answers with the time they were had, in one JSON file.
//!
//! Answers are kept per service (the resolver a run asked, by its URL): an answer from a
//! test server must never stand for one from `https://doi.org`. Writes are atomic (a
//! temporary file renamed over the cache, through a symbolic link if the cache is one) and
//! merge with what is on disk under an advisory lock (`flock`), so two argmap processes at
//! once neither corrupt the file nor drop each other's answers, and a killed process leaves
//! no lock behind. A file that cannot be read as a cache is reported and rebuilt, never
//! trusted in part.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Record;
use super::crossref::Work;
use super::csl::Metadata;

const FORMAT: &str = "argmap-doi-cache";
/// Version 2 keeps answers per service; version 1 did not, so its answers are not used.
/// Version 3 adds Crossref's records, which version 2 cannot read.
const VERSION: u32 = 3;

/// How long a run waits for another process's lock on the cache before giving up saving:
/// writers hold it for milliseconds, so a longer hold is a stuck process.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// A definitive answer, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Stored {
    /// The resolver: the DOI exists.
    Found {
        #[serde(default = "not_fetched")]
        metadata: StoredMetadata,
    },
    /// The resolver: the DOI does not exist.
    NotFound,
    /// Crossref's REST API: its record of the work.
    CrossrefWork { work: Work },
    /// Crossref's REST API: no record (the DOI is another agency's).
    NotInCrossref,
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

/// Answers by service, then by DOI key, sorted so that the file diffs well.
type Sorted<'a> = BTreeMap<&'a str, BTreeMap<&'a str, &'a Entry>>;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    services: Sorted<'a>,
}

#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Deserialize)]
struct FileIn {
    services: HashMap<String, HashMap<String, Entry>>,
}

/// An answer's key: the service that gave it and the DOI's key.
pub type Key = (String, String);

/// How old an answer may be and still be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxAge {
    /// For an answer that the DOI exists.
    pub found: Duration,
    /// For an answer that it does not (asked again sooner: it may be registered since).
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
    entries: HashMap<Key, Entry>,
    /// Keys this run answered: the only entries it writes over others'.
    learnt: Vec<Key>,
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
            Err(e) if is_ours(path) => Some(format!(
                "the DOI cache {} {e}; it will be rebuilt",
                path.display()
            )),
            Err(e) => Some(format!(
                "the DOI cache {} {e}; it is left alone and answers are not saved \
                 (choose another --cache, or delete the file)",
                path.display()
            )),
        };
        (cache, warning)
    }

    /// Where the cache is kept.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The answer `service` gave for `doi` (a DOI key) if it is younger than its maximum
    /// age at time `now`.
    pub fn get(&self, service: &str, doi: &str, now: u64, max_age: MaxAge) -> Option<&Stored> {
        let entry = self.entries.get(&(service.to_owned(), doi.to_owned()))?;
        // A "no notice" is asked again as often as a "found": retractions come years later.
        let limit = match entry.answer {
            Stored::Found { .. } | Stored::CrossrefWork { .. } | Stored::NotInCrossref => {
                max_age.found
            }
            Stored::NotFound => max_age.not_found,
        };
        // An answer from the future (a clock set back) is not trusted either.
        let age = now.checked_sub(entry.checked)?;
        (age < limit.as_secs()).then_some(&entry.answer)
    }

    /// When the answer `service` gave for `doi` (a DOI key) was had, in seconds since the
    /// Unix epoch, if the cache holds one.
    pub fn checked_at(&self, service: &str, doi: &str) -> Option<u64> {
        Some(
            self.entries
                .get(&(service.to_owned(), doi.to_owned()))?
                .checked,
        )
    }

    /// Records a definitive answer of `service` about `doi` (a DOI key).
    pub fn put(&mut self, service: &str, doi: String, answer: Stored, now: u64) {
        let key = (service.to_owned(), doi);
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
        if is_not_a_file(&self.path) {
            return Err(io::Error::other(
                "it is not a regular file, so it is not written",
            ));
        }
        // A file that is not an argmap cache (a map, someone's JSON) is never replaced.
        if matches!(fs::metadata(&self.path), Ok(m) if m.len() > 0) && !is_ours(&self.path) {
            return Err(io::Error::other(
                "it is not an argmap DOI cache, so it is not overwritten",
            ));
        }
        if !dir.exists() {
            fs::create_dir_all(dir)?;
            // The folder argmap makes for its cache keeps itself out of version control;
            // a folder of the user's choosing is the user's.
            if dir.file_name().is_some_and(|n| n == ".argmap") {
                fs::write(dir.join(".gitignore"), "*\n")?;
            }
        }
        // Held until the merged file is in place; the OS releases it if the process dies.
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(&self.path))?;
        let waited = std::time::Instant::now();
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if waited.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(io::Error::other(format!(
                        "another process has held it for {} s; this run's answers are not saved",
                        LOCK_WAIT.as_secs()
                    )));
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        let now = now();
        let mut merged = read(&self.path).unwrap_or_default();
        for key in &self.learnt {
            let ours = &self.entries[key];
            // A newer answer another run wrote wins, unless it is dated in the future (a
            // clock set wrong): that one would otherwise never be replaced.
            let keep_theirs = merged
                .get(key)
                .is_some_and(|e| e.checked > ours.checked && e.checked <= now);
            if !keep_theirs {
                merged.insert(key.clone(), ours.clone());
            }
        }
        let mut services: Sorted = BTreeMap::new();
        for ((service, doi), entry) in &merged {
            services
                .entry(service.as_str())
                .or_default()
                .insert(doi.as_str(), entry);
        }
        let mut text = serde_json::to_vec(&FileOut {
            format: FORMAT,
            version: VERSION,
            services,
        })?;
        text.push(b'\n');
        crate::output::write(&self.path, &text)
    }
}

#[derive(Debug, thiserror::Error)]
enum ReadError {
    #[error("does not exist")]
    Missing,
    #[error("cannot be read ({0})")]
    Io(io::Error),
    #[error("is not a regular file")]
    NotAFile,
    #[error("is not an argmap DOI cache ({0})")]
    Foreign(String),
    #[error("was written by another version of argmap (cache version {0})")]
    Version(u32),
}

/// Whether `path` is something other than a regular file (a FIFO would block a read, a
/// device never end it): such a cache is neither read nor replaced.
fn is_not_a_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file())
}

fn read(path: &Path) -> Result<HashMap<Key, Entry>, ReadError> {
    if is_not_a_file(path) {
        return Err(ReadError::NotAFile);
    }
    let text = match fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Io(e)),
    };
    let foreign = |e: serde_json::Error| ReadError::Foreign(e.to_string());
    let header: Header = serde_json::from_slice(&text).map_err(foreign)?;
    if header.format != FORMAT {
        return Err(ReadError::Foreign(format!("format `{}`", header.format)));
    }
    if header.version != VERSION {
        return Err(ReadError::Version(header.version));
    }
    let file: FileIn = serde_json::from_slice(&text).map_err(foreign)?;
    Ok(file
        .services
        .into_iter()
        .flat_map(|(service, entries)| {
            entries
                .into_iter()
                .map(move |(doi, entry)| ((service.clone(), doi), entry))
        })
        .collect())
}

/// Whether a file is an argmap DOI cache (of any version, or damaged), and so may be
/// rebuilt: it names argmap's format near its start.
fn is_ours(path: &Path) -> bool {
    use std::io::Read;
    if is_not_a_file(path) {
        return false;
    }
    let mut head = [0u8; 256];
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    let head = &head[..n];
    head.is_empty() || head.windows(FORMAT.len()).any(|w| w == FORMAT.as_bytes())
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOI_ORG: &str = "https://doi.org/";

    fn found() -> Stored {
        Stored::Found {
            metadata: StoredMetadata::Csl(Metadata {
                title: Some("Water".into()),
                ..Metadata::default()
            }),
        }
    }

    fn has(cache: &Cache, doi: &str) -> bool {
        cache
            .entries
            .contains_key(&(DOI_ORG.to_owned(), doi.to_owned()))
    }

    #[test]
    fn answers_round_trip_and_age() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".argmap/doi-cache.json");
        let (mut cache, warning) = Cache::load(&path);
        assert_eq!(warning, None);
        cache.put(DOI_ORG, "10.1/a".into(), found(), 1_000_000);
        cache.put(DOI_ORG, "10.1/b".into(), Stored::NotFound, 1_000_000);
        cache.save().unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(".argmap/.gitignore")).unwrap(),
            "*\n"
        );

        let (cache, warning) = Cache::load(&path);
        assert_eq!(warning, None);
        let age = MaxAge::default();
        let day = 24 * 3600;
        let get = |doi, now| cache.get(DOI_ORG, doi, now, age);
        assert_eq!(get("10.1/a", 1_000_000 + day), Some(&found()));
        assert_eq!(get("10.1/b", 1_000_000 + day - 1), Some(&Stored::NotFound));
        assert_eq!(get("10.1/b", 1_000_000 + day), None);
        assert_eq!(get("10.1/a", 1_000_000 + 7 * day), None);
        assert_eq!(get("10.1/a", 999_999), None, "from the future");
        assert!(!cache.is_dirty());
    }

    #[test]
    fn answers_are_kept_per_service() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let (mut cache, _) = Cache::load(&path);
        cache.put(
            "http://127.0.0.1:9/",
            "10.1/a".into(),
            Stored::NotFound,
            100,
        );
        cache.save().unwrap();
        let (cache, _) = Cache::load(&path);
        let age = MaxAge::default();
        assert_eq!(
            cache.get("http://127.0.0.1:9/", "10.1/a", 101, age),
            Some(&Stored::NotFound)
        );
        assert_eq!(cache.get(DOI_ORG, "10.1/a", 101, age), None);
    }

    #[test]
    fn damaged_and_old_caches_are_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        for (bad, why) in [
            (
                r#"{"format": "argmap-doi-cache", "version": 3, "serv"#,
                "is not an argmap DOI cache",
            ),
            (
                r#"{"format": "argmap-doi-cache", "version": 1, "entries": {}}"#,
                "another version",
            ),
            (
                r#"{"format": "argmap-doi-cache", "version": 99, "services": {}}"#,
                "another version",
            ),
            (
                r#"{"format": "argmap-doi-cache", "version": 2, "services": {}}"#,
                "another version",
            ),
            (
                r#"{"format": "argmap-doi-cache", "version": 3, "services": {"s": {"x": {"status": "??"}}}}"#,
                "is not an argmap DOI cache",
            ),
        ] {
            fs::write(&path, bad).unwrap();
            let (mut cache, warning) = Cache::load(&path);
            let warning = warning.unwrap();
            assert!(
                warning.contains("will be rebuilt") && warning.contains(why),
                "{bad}: {warning}"
            );
            cache.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 5);
            cache.save().unwrap();
            let (cache, warning) = Cache::load(&path);
            assert_eq!(warning, None);
            assert!(has(&cache, "10.1/a"));
        }
    }

    /// A file that is not a cache (a map given as --cache by mistake) is never replaced.
    #[test]
    fn a_foreign_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.yaml");
        for foreign in [
            "title: My map\n",
            r#"{"format": "lychee", "version": 2}"#,
            "{not json",
        ] {
            fs::write(&path, foreign).unwrap();
            let (mut cache, warning) = Cache::load(&path);
            assert!(warning.unwrap().contains("left alone"), "{foreign}");
            cache.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 5);
            assert!(cache.save().is_err());
            assert_eq!(fs::read_to_string(&path).unwrap(), foreign);
        }
    }

    #[test]
    fn a_gitignore_goes_only_into_argmaps_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine/deep/c.json");
        let (mut cache, _) = Cache::load(&path);
        cache.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 5);
        cache.save().unwrap();
        assert!(!dir.path().join("mine/deep/.gitignore").exists());
    }

    #[test]
    fn a_lock_held_too_long_gives_up_saving() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let held = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(&path))
            .unwrap();
        held.lock().unwrap();
        let (mut cache, _) = Cache::load(&path);
        cache.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 5);
        let start = std::time::Instant::now();
        let e = cache.save().unwrap_err();
        assert!(e.to_string().contains("not saved"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn a_cache_that_cannot_be_read_says_why() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: not missing, not a file.
        let (_, warning) = Cache::load(dir.path());
        assert!(warning.unwrap().contains("is not a regular file"));
        let (_, warning) = Cache::load(&dir.path().join("absent.json"));
        assert_eq!(warning, None);
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
                        cache.put(DOI_ORG, format!("10.{w}/{i}"), Stored::NotFound, 7);
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
    }

    /// A killed run's lock file holds no lock: the next save neither waits nor fails.
    #[test]
    fn a_leftover_lock_file_does_not_hold_anyone_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        fs::write(lock_path(&path), "").unwrap();
        let (mut cache, _) = Cache::load(&path);
        cache.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 5);
        let start = std::time::Instant::now();
        cache.save().unwrap();
        // The old lock waited 10 s for a lock file to go away.
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_newer_answer_on_disk_wins_unless_it_is_from_the_future() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let (mut old, _) = Cache::load(&path);
        let (mut new, _) = Cache::load(&path);
        new.put(DOI_ORG, "10.1/a".into(), found(), 200);
        new.save().unwrap();
        old.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 100);
        old.save().unwrap();
        let (cache, _) = Cache::load(&path);
        assert_eq!(
            cache.get(DOI_ORG, "10.1/a", 201, MaxAge::default()),
            Some(&found())
        );

        let future = now() + 365 * 24 * 3600;
        let (mut wrong_clock, _) = Cache::load(&path);
        wrong_clock.put(DOI_ORG, "10.1/b".into(), found(), future);
        wrong_clock.save().unwrap();
        let (mut today, _) = Cache::load(&path);
        today.put(DOI_ORG, "10.1/b".into(), Stored::NotFound, now());
        today.save().unwrap();
        let (cache, _) = Cache::load(&path);
        assert_eq!(
            cache.get(DOI_ORG, "10.1/b", now(), MaxAge::default()),
            Some(&Stored::NotFound),
            "an answer dated in the future is replaced"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_that_is_a_symlink_stays_one() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("c.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let (mut cache, _) = Cache::load(&link);
        cache.put(DOI_ORG, "10.1/a".into(), Stored::NotFound, 5);
        cache.save().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(fs::read_to_string(&real).unwrap().contains("10.1/a"));
    }
}
