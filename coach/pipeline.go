package coach

// StageTotal is one line of a team's pipeline: the open deals in a stage and
// their value in the team's reporting currency.
type StageTotal struct {
	Stage    Stage
	Deals    int
	Cents    int64 // the sum of the amounts in the reporting currency
	Excluded int   // deals with an amount in another currency, left out of Cents
}
