module github.com/valuepath/valuepath

go 1.23
