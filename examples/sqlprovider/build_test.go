package sqlprovider

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valuepath/valuepath"
)

// build loads the demo base of n accounts into a new file at path with
// Build.
func build(t *testing.T, path string, n int) (bool, error) {
	t.Helper()
	base := demoBase(t, n)
	return Build(context.Background(), path, Options{}, func(ctx context.Context, p *Provider) error {
		_, err := LoadDemo(ctx, p, base)
		return err
	})
}

func accountsIn(t *testing.T, path string, opts Options) int {
	t.Helper()
	p, err := Open(context.Background(), path, opts)
	require.NoError(t, err)
	defer p.Close()
	as, err := p.Accounts(context.Background())
	require.NoError(t, err)
	return len(as)
}

func TestBuildIsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	recovered, err := build(t, path, 5)
	require.NoError(t, err)
	assert.False(t, recovered)
	assert.Equal(t, 5, accountsIn(t, path, Options{}))
	assert.NoFileExists(t, path+PartialSuffix)
	assert.NoFileExists(t, path+"-wal", "the file is sealed into one rollback-journal file")

	// Never over an existing file, which is left as it was.
	before, _ := os.ReadFile(path)
	_, err = build(t, path, 2)
	require.ErrorContains(t, err, "the file exists")
	after, _ := os.ReadFile(path)
	assert.Equal(t, before, after)

	// A failing fill leaves nothing.
	failed := filepath.Join(dir, "failed.db")
	boom := errors.New("boom")
	_, err = Build(context.Background(), failed, Options{}, func(ctx context.Context, p *Provider) error {
		_, err := p.Import(ctx, demoBase(t, 3).Provider, DemoAccounts(demoBase(t, 3)), nil, StorableRange)
		require.NoError(t, err)
		return boom
	})
	require.ErrorIs(t, err, boom)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"demo.db"}, names, "a failed build leaves no file")

	// So does a cancelled one.
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Build(ctx, failed, Options{}, func(ctx context.Context, p *Provider) error {
		cancel()
		_, err := LoadDemo(ctx, p, demoBase(t, 3))
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.NoFileExists(t, failed)
	assert.NoFileExists(t, failed+PartialSuffix)
}

// TestBuildRecoversFromAKilledLoad: a partial file nobody holds is a dead
// load's, discarded; one a live process holds is refused; Open names it.
func TestBuildRecoversFromAKilledLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	partial := path + PartialSuffix
	require.NoError(t, os.WriteFile(partial, []byte("SQLite format 3\x00 and then the process died"), 0o644))
	require.NoError(t, os.WriteFile(partial+"-wal", []byte("junk"), 0o644))

	_, err := Open(context.Background(), path, Options{})
	require.ErrorContains(t, err, "unfinished")
	_, err = Open(context.Background(), partial, Options{})
	require.ErrorContains(t, err, "unfinished")

	// A live writer: the lock is held on another open file description.
	f, err := os.OpenFile(partial, os.O_RDWR, 0)
	require.NoError(t, err)
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))
	_, err = build(t, path, 3)
	require.ErrorContains(t, err, "another process is writing it")
	require.NoError(t, f.Close()) // the writer dies

	recovered, err := build(t, path, 3)
	require.NoError(t, err)
	assert.True(t, recovered)
	assert.Equal(t, 3, accountsIn(t, path, Options{}))
	assert.NoFileExists(t, partial)
	assert.NoFileExists(t, partial+"-wal")
}

// TestOpenReadOnlyOnAReadOnlyVolume opens a built file through a read-only
// bind mount of its directory (root ignores permission bits, so chmod
// alone proves nothing; the mount makes the kernel refuse every write).
// Without root or mount(8), it falls back to SQLite's own read-only flags
// on a chmod 0555 directory, which shows that nothing is written but not
// that nothing needs to be.
func TestOpenReadOnlyOnAReadOnlyVolume(t *testing.T) {
	src := t.TempDir()
	_, err := build(t, filepath.Join(src, "demo.db"), 4)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(filepath.Join(src, "demo.db"), 0o444))
	require.NoError(t, os.Chmod(src, 0o555))
	t.Cleanup(func() { _ = os.Chmod(src, 0o755) })
	dir := src
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "--bind", "-o", "ro", src, mnt).CombinedOutput(); err != nil {
		t.Logf("no read-only bind mount (%v: %s); testing SQLite's read-only flags only", err, out)
	} else {
		t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
		// Older mount(8) ignores ro on the first bind: remount to be sure.
		_ = exec.Command("mount", "-o", "remount,bind,ro", mnt).Run()
		probe := filepath.Join(mnt, "probe")
		if err := os.WriteFile(probe, nil, 0o644); err == nil {
			_ = os.Remove(probe)
			t.Fatal("the bind mount is writable")
		}
		dir = mnt
		t.Log("testing through a read-only bind mount")
		// The default, read-write WAL connection cannot open it.
		if p, err := Open(context.Background(), filepath.Join(mnt, "demo.db"), Options{}); err == nil {
			_ = p.Close()
			t.Error("a read-write Open succeeded on a read-only mount")
		}
	}
	path := filepath.Join(dir, "demo.db")
	for _, opts := range []Options{{ReadOnly: true}, {Immutable: true}} {
		assert.Equal(t, 4, accountsIn(t, path, opts), "%+v", opts)
		assert.NoFileExists(t, path+"-wal")
		assert.NoFileExists(t, path+"-shm")
	}
	// A read-only provider refuses writes.
	p, err := Open(context.Background(), path, Options{ReadOnly: true})
	require.NoError(t, err)
	defer p.Close()
	_, err = p.Import(context.Background(), demoBase(t, 1).Provider, DemoAccounts(demoBase(t, 1)), nil, StorableRange)
	require.Error(t, err)
	var id valuepath.AccountID
	for _, a := range demoBase(t, 4).Accounts {
		if a.Active() {
			id = a.ID
		}
	}
	require.NotEmpty(t, id, "an active account")
	snap, err := valuepath.Must(valuepath.NewDerivations([]valuepath.Derivation{{Name: "n", Op: valuepath.OpCount, Source: "active_users", Window: valuepath.Days(30)}})).
		Evaluate(context.Background(), p, id, demoBase(t, 4).AsOf)
	require.NoError(t, err)
	assert.Equal(t, 1, snap.Coverage().Present)
}
