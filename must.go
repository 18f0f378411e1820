package valuepath

// Must returns v and panics if err is not nil. It is for tests and for
// package-level literals whose validity is known, in the shape of
// template.Must: valuepath.Must(health.NewScorecard(spec)). Every
// constructor and loader of the SDK returns an error instead of panicking;
// Must is the one way to turn that error into a panic.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
