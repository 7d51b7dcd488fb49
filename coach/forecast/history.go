package forecast

import (
	"slices"

	"salescoach/coach"
)

// FromHistory reads a history in the import's form (rows oldest first per
// deal) as a team: deals numbered in order of first appearance, the amount,
// owner and name of each deal's last row, amounts without a currency in the
// reporting currency.
func FromHistory(id, currency string, h coach.History) Team {
	t := Team{ID: id, Currency: currency}
	index := map[string]int{}
	for _, r := range h.Rows {
		i, ok := index[r.DealID]
		if !ok {
			i = len(t.Deals)
			index[r.DealID] = i
			t.Deals = append(t.Deals, Deal{Number: i + 1, ExternalID: r.DealID})
		}
		d := &t.Deals[i]
		d.Name, d.Owner, d.Amount, d.HasAmount = r.Name, r.Owner, r.Amount, r.HasAmount
		if d.Amount.Currency == "" {
			d.Amount.Currency = currency
		}
		d.Entries = append(d.Entries, Entry{Stage: r.Stage, At: r.At})
	}
	for _, u := range h.Dues {
		if i, ok := index[u.DealID]; ok {
			t.Deals[i].Dues = append(t.Deals[i].Dues, Due{At: u.At, Date: u.Date})
		}
	}
	for i := range t.Deals {
		d := &t.Deals[i]
		slices.SortStableFunc(d.Entries, func(a, b Entry) int { return a.At.Compare(b.At) })
		slices.SortStableFunc(d.Dues, func(a, b Due) int { return a.At.Compare(b.At) })
	}
	return t
}
