package server

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDeadlineCtxPolled(t *testing.T) {
	ctx := withDeadline(context.Background(), 20*time.Millisecond)
	if err := ctx.Err(); err != nil {
		t.Fatalf("Err before the deadline: %v", err)
	}
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > 20*time.Millisecond {
		t.Fatalf("Deadline %v %v", d, ok)
	}
	time.Sleep(30 * time.Millisecond)
	if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Err after the deadline: %v", err)
	}
	// Done after the deadline is closed at once, and agrees with Err.
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("Done not closed after the deadline")
	}
	if err := ctx.Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Err once armed: %v", err)
	}
	ctx.release()
}

func TestDeadlineCtxWaited(t *testing.T) {
	ctx := withDeadline(context.Background(), 20*time.Millisecond)
	defer ctx.release()
	start := time.Now()
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("Done never closed")
	}
	if time.Since(start) < 15*time.Millisecond {
		t.Fatal("Done closed before the deadline")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) || !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		t.Fatalf("Err %v, Cause %v", ctx.Err(), context.Cause(ctx))
	}
}

func TestDeadlineCtxFollowsParent(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	ctx := withDeadline(parent, time.Hour)
	defer ctx.release()
	child, stop := context.WithCancel(ctx)
	defer stop()
	cancel()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err after the parent's cancel: %v", ctx.Err())
	}
	select {
	case <-child.Done():
	case <-time.After(time.Second):
		t.Fatal("a derived context did not see the cancel")
	}
	if ctx.Value(key{}) != "v" {
		t.Fatal("Value does not reach the parent")
	}
	// An earlier deadline of the parent wins.
	p2, c2 := context.WithTimeout(context.Background(), time.Millisecond)
	defer c2()
	if d, _ := withDeadline(p2, time.Hour).Deadline(); time.Until(d) > time.Second {
		t.Fatalf("deadline %v ignores the parent's", d)
	}
}

func TestDeadlineCtxReleased(t *testing.T) {
	ctx := withDeadline(context.Background(), time.Hour)
	ctx.release()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err after release: %v", ctx.Err())
	}
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("Done open after release")
	}
}
