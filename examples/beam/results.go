package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"os"
	"slices"
)

// readResults reads a results file back, sorted by account: the pipeline
// writes results in no particular order.
func readResults(path string) ([]Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rs []Result
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(rs, func(a, b Result) int { return cmp.Compare(a.Account, b.Account) })
	return rs, nil
}
