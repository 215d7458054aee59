//! The embedded database's files hold every NIK the exchange knows, so only the service's
//! own user may read them: the directory is created `0700`, the database file `0600`
//! (SQLite gives its `-wal` and `-shm` files the database file's mode), and a database whose
//! files others can read is refused rather than used.

use std::fs::{DirBuilder, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

use super::DbError;

/// Creates `dir` (and its missing parents) for its owner only.
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Creates the directory and the empty database file with owner-only modes when they do not
/// exist, and refuses files that grant their group or others any access.
pub fn prepare(path: &str) -> Result<(), DbError> {
    let file = Path::new(path);
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir).map_err(|source| DbError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    // SQLite takes an empty file for a new database; creating it here is what sets its
    // mode, whatever the process's umask.
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
    {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(DbError::CreateDir {
                path: path.to_owned(),
                source,
            });
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let name = format!("{path}{suffix}");
        match std::fs::metadata(&name) {
            Ok(meta) if meta.mode() & 0o077 != 0 => {
                return Err(DbError::ReadableByOthers {
                    path: path.to_owned(),
                    mode: meta.mode() & 0o777,
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(source) => {
                return Err(DbError::CreateDir { path: name, source });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().mode() & 0o777
    }

    #[test]
    fn a_new_database_is_for_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/sinergi.db");
        prepare(path.to_str().unwrap()).unwrap();
        assert_eq!(mode(&dir.path().join("data")), 0o700);
        assert_eq!(mode(&path), 0o600);
        // Again, with the files there.
        prepare(path.to_str().unwrap()).unwrap();
    }

    #[test]
    fn files_others_can_read_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sinergi.db");
        prepare(path.to_str().unwrap()).unwrap();
        for (suffix, granted) in [("", 0o644), ("-wal", 0o640), ("-shm", 0o604)] {
            let file = dir.path().join(format!("sinergi.db{suffix}"));
            std::fs::write(&file, b"").unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(granted)).unwrap();
            let err = prepare(path.to_str().unwrap()).unwrap_err();
            assert!(matches!(err, DbError::ReadableByOthers { .. }), "{err}");
            assert!(err.to_string().contains("chmod 600"), "{err}");
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        prepare(path.to_str().unwrap()).unwrap();
    }
}
