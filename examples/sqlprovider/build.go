package sqlprovider

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// PartialSuffix is appended to the path of the file [Build] writes before
// it renames the file into place. A file with this suffix is an unfinished
// database: being written, or left by a load that was killed.
const PartialSuffix = ".partial"

// Build makes a new SQLite database file at path filled by fill, so that
// the file at path is either absent or complete, whatever happens to the
// process. It creates the schema in path+[PartialSuffix], calls fill with a
// Provider over it (typically to [Provider.Import] or [LoadDemo]), and only
// when fill returns nil does it checkpoint the file into a single
// rollback-journal file (so that it can be opened read-only, see
// Options.ReadOnly), sync it and link it to path. An error from fill, or a
// cancelled ctx, removes the partial file.
//
// Build fails without writing anything if path exists: it never overwrites
// data. A partial file left by a process that was killed (SIGKILL, a power
// cut) is detected by its lock: when no process holds it, Build discards
// it and starts over, and reports that it did by returning
// recovered = true; when a running process holds it, Build fails with an
// error saying so. Build is for local file systems with POSIX advisory
// locks and hard links (Linux, macOS, the BSDs).
func Build(ctx context.Context, path string, opts Options, fill func(context.Context, *Provider) error) (recovered bool, err error) {
	if path == "" {
		return false, errors.New("sqlprovider: build: path must not be empty")
	}
	if opts.ReadOnly || opts.Immutable {
		return false, fmt.Errorf("sqlprovider: build %q: a read-only Options cannot build a file", path)
	}
	if _, err := os.Lstat(path); err == nil {
		return false, fmt.Errorf("sqlprovider: build %q: the file exists, and Build never overwrites one: delete it or choose another path", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("sqlprovider: build %q: %w", path, err)
	}
	partial := path + PartialSuffix
	lock, err := os.OpenFile(partial, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return false, fmt.Errorf("sqlprovider: build %q: %w", path, err)
	}
	defer lock.Close() // releases the lock
	if err := lockFile(lock); err != nil {
		return false, fmt.Errorf("sqlprovider: build %q: another process is writing it (%s is locked); wait for it to finish, or stop it and run again: %w", path, partial, err)
	}
	if st, err := lock.Stat(); err == nil && st.Size() > 0 {
		recovered = true // a killed load's leftovers: nobody holds their lock
	}
	removeSide(partial)
	if err := lock.Truncate(0); err != nil {
		return recovered, fmt.Errorf("sqlprovider: build %q: %w", path, err)
	}
	discard := func() {
		_ = lock.Truncate(0)
		removeSide(partial)
		_ = os.Remove(partial)
	}
	p, err := openFile(ctx, partial, opts, true)
	if err != nil {
		discard()
		return recovered, fmt.Errorf("sqlprovider: build %q: %w", path, err)
	}
	err = fill(ctx, p)
	if err == nil {
		err = ctx.Err()
	}
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = seal(ctx, partial)
	}
	if err == nil {
		err = publish(lock, partial, path)
	}
	if err != nil {
		discard()
		return recovered, fmt.Errorf("sqlprovider: build %q: %w", path, err)
	}
	return recovered, nil
}

// seal folds the write-ahead log into the database file at path and
// leaves it in rollback-journal mode: one self-contained file, readable on
// a read-only volume. It runs on one connection of its own, without the
// pool's WAL pragma, after every other connection closed.
func seal(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=rw"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return wrapErr(SQLite, err)
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode); err != nil {
		return wrapErr(SQLite, err)
	}
	if mode != "delete" {
		return fmt.Errorf("cannot leave WAL mode (journal_mode is %s)", mode)
	}
	return db.Close()
}

// publish syncs partial and gives it the name path without ever replacing
// a file at path: a hard link fails if path exists, where a rename would
// overwrite it.
func publish(f *os.File, partial, path string) error {
	if err := f.Sync(); err != nil {
		return err
	}
	if err := os.Link(partial, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("the file appeared while it was being built; it was left alone: %w", err)
		}
		return err
	}
	if err := os.Remove(partial); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // make the new name durable
		_ = d.Close()
	}
	return nil
}

// removeSide removes SQLite's side files of path.
func removeSide(path string) {
	_ = os.Remove(path + "-wal")
	_ = os.Remove(path + "-shm")
	_ = os.Remove(path + "-journal")
}
