module github.com/valuepath/valuepath

go 1.23

require (
	github.com/google/go-cmp v0.7.0
	github.com/shopspring/decimal v1.6.0
)
