package server_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/valuepath/valuepath/examples/internal/demo"
	"github.com/valuepath/valuepath/examples/service/server"
)

// ExampleNew builds the service over the demo base and asks it for one
// account's health and for a posted snapshot's score. A real host serves
// it with Server.Serve.
func ExampleNew() {
	b, err := demo.Generate(demo.Config{Accounts: 20, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	var accounts []server.AccountInfo
	for _, a := range b.Accounts {
		accounts = append(accounts, server.AccountInfo{ID: a.ID, Name: a.Name, Segment: a.Segment, TimeZone: a.TimeZone, Start: a.Start})
	}
	srv, err := server.New(server.Config{
		Provider:    b.Provider,
		Accounts:    accounts,
		Derivations: demo.AllDerivations(),
		Scorecard:   demo.Scorecard(),
		DefaultAsOf: b.AsOf,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/accounts/acct-0003/health?asOf=2026-10-01", nil))
	var score struct {
		Score    float64 `json:"score"`
		Band     string  `json:"band"`
		Draggers []struct {
			ID string `json:"id"`
		} `json:"draggers"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &score)
	fmt.Printf("%d: %.1f %s, dragged down most by %s\n", rec.Code, score.Score, score.Band, score.Draggers[0].ID)

	req := httptest.NewRequest("POST", "/v1/score", strings.NewReader(`{"account": "trial-42", "values": {"seat_utilisation": 0.3}}`))
	req.Header.Set("Content-Type", "application/json")
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	_ = json.Unmarshal(rec.Body.Bytes(), &score)
	fmt.Printf("%d: %.1f %s\n", rec.Code, score.Score, score.Band)

	req = httptest.NewRequest("POST", "/v1/score", strings.NewReader(`{"account": "trial-42", "values": {"nps": 9}}`))
	req.Header.Set("Content-Type", "application/json")
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	fmt.Print(rec.Code, ": ", rec.Body.String()[:80], "...\n")
	// Output:
	// 200: 74.0 yellow, dragged down most by utilisation
	// 200: 27.5 red
	// 400: {"error":{"status":400,"code":"unknown_metric","message":"the scorecard reads no...
}
