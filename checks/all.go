package checks

// All is every rule, sorted by id. Adding a rule: write its file, then add
// it here.
var All = sortRules([]*Rule{
	CreateIndexNonConcurrently,
	InvalidSuppression,
	SyntaxError,
})
