//! Writing files without losing data: the one way argmap replaces a file it was asked to
//! write (`argmap dot -o`, the DOI cache, `argmap check --fix`), and creates one that must
//! not exist yet (`argmap init`, [`create`]).
//!
//! A regular file is replaced atomically: the text goes to a temporary file in the same
//! folder, is flushed to disk, and is renamed over the file, so a reader (or a `make`
//! interrupted half-way) never sees half of it. A symbolic link is followed and its target
//! replaced, so the link stays a link. Anything that is not a regular file (a FIFO, a
//! terminal, `/dev/null`, `/dev/full`) is written through, as a shell's `>` would: renaming
//! over a device would turn it into a regular file. Every failure is returned, naming the
//! path the user gave, never the temporary file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many symbolic links are followed before giving up (as Linux's `ELOOP`).
const MAX_LINK_HOPS: usize = 40;

/// Writes `bytes` to `path` as described in the module docs.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // Through the kernel's eyes first: `/dev/stdout` is a link that no path can follow.
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return write_through(path, bytes);
    }
    let target = resolve_links(path)?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        )),
        Ok(meta) if !meta.is_file() => write_through(&target, bytes),
        Ok(meta) => replace(&target, bytes, Some(meta.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&target, bytes, None),
        Err(e) => Err(e),
    }
}

/// The file a path finally names: symbolic links followed (a dangling link names the
/// file it would create).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINK_HOPS} symbolic links (a loop?)"
    )))
}

/// Writes into an existing file that is not a regular one (a device, a FIFO).
fn write_through(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Creates `path` with `bytes`, atomically, only if nothing is there: no file, folder,
/// device, FIFO or symbolic link (not even a dangling one). The text goes to a temporary
/// file in the same folder, is flushed to disk, and is hard-linked into place, which fails
/// when the name is taken, so a file made meanwhile by someone else is never replaced (the
/// error is [`io::ErrorKind::AlreadyExists`]). On a file system without hard links the
/// temporary file is renamed into place after a last look that the name is free.
pub fn create(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let exists = || {
        io::Error::new(
            io::ErrorKind::AlreadyExists,
            "it exists already, so it is not replaced",
        )
    };
    if fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let (file, temporary) = temporary_beside(path)?;
    let written = (|| {
        let mut file = file;
        file.write_all(bytes)?;
        file.sync_all()?;
        match fs::hard_link(&temporary, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(exists()),
            Err(_) if fs::symlink_metadata(path).is_ok() => Err(exists()),
            // No hard links here (FAT, some network shares): rename, as `write` does.
            Err(_) => fs::rename(&temporary, path),
        }
    })();
    // After a link, the temporary name is a second name of the file: only it goes.
    let _ = fs::remove_file(&temporary);
    written
}

/// A new, empty temporary file in `path`'s folder, named after it (`.NAME.argmap-….tmp`).
fn temporary_beside(path: &Path) -> io::Result<(fs::File, PathBuf)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    loop {
        let mut candidate = name.clone();
        candidate.push(format!(".argmap-{:08x}.tmp", fastrand::u32(..)));
        let temporary = dir.join(candidate);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        // A new file gets the usual permissions; a replaced one keeps its own.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        match options.open(&temporary) {
            Ok(file) => return Ok((file, temporary)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Replaces a regular file (or creates it) by renaming a finished temporary file over it.
fn replace(path: &Path, bytes: &[u8], permissions: Option<fs::Permissions>) -> io::Result<()> {
    let (file, temporary) = temporary_beside(path)?;
    let written = (|| {
        let mut file = file;
        file.write_all(bytes)?;
        if let Some(p) = permissions {
            file.set_permissions(p)?;
        }
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_replaced_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.dot");
        write(&path, b"one").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o644
            );
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
            write(&path, b"two").unwrap();
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.dot");
        let link = dir.path().join("link.dot");
        fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink("real.dot", &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"new");
        // A dangling link creates its target.
        let dangling = dir.path().join("dangling.dot");
        std::os::unix::fs::symlink("made.dot", &dangling).unwrap();
        write(&dangling, b"made").unwrap();
        assert_eq!(fs::read(dir.path().join("made.dot")).unwrap(), b"made");
    }

    #[test]
    fn create_makes_a_new_file_and_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.yaml");
        create(&path, b"made").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"made");
        let again = create(&path, b"other").unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(
            fs::read(&path).unwrap(),
            b"made",
            "the file is left as it was"
        );
        // A folder is not replaced either.
        fs::create_dir(dir.path().join("folder")).unwrap();
        let folder = create(&dir.path().join("folder"), b"x").unwrap_err();
        assert_eq!(folder.kind(), io::ErrorKind::AlreadyExists);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o644 & !umask()
            );
            // Nor a link, dangling or not: its target is not made.
            let dangling = dir.path().join("dangling.yaml");
            std::os::unix::fs::symlink("target.yaml", &dangling).unwrap();
            let link = create(&dangling, b"x").unwrap_err();
            assert_eq!(link.kind(), io::ErrorKind::AlreadyExists);
            assert!(!dir.path().join("target.yaml").exists());
        }
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let expected: &[&str] = if cfg!(unix) {
            &["dangling.yaml", "folder", "new.yaml"]
        } else {
            &["folder", "new.yaml"]
        };
        assert_eq!(names, expected, "no temporary file is left behind");
    }

    /// The process's file mode mask, which new files' permissions pass through.
    #[cfg(unix)]
    fn umask() -> u32 {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        let mut options = fs::OpenOptions::new();
        std::os::unix::fs::OpenOptionsExt::mode(options.write(true).create_new(true), 0o777);
        options.open(&probe).unwrap();
        !fs::metadata(&probe).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_and_a_folder_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(write(&a, b"x").is_err());
        assert!(write(dir.path(), b"x").is_err());
    }
}
