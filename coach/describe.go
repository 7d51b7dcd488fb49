package coach

import (
	"fmt"
	"strings"
)

// EventText says what an event of a deal's log did, in lang: the one place
// that puts an event into words, for /deal undo, /deal show and the
// blueprint.
type EventText struct {
	// What names the change, to say it was undone: "the amount change to
	// $15,000", "the move to Presentation", "the note “Called the CFO”".
	What string
	// Done is a line of the deal's history: "Amount set to $15,000".
	Done string
}

// Describe returns what e did, in lang.
func Describe(e Event, lang Lang) EventText {
	t := func(en, zh string) string { return lang.T(en, zh) }
	f := e.Fields
	switch e.Kind {
	case EvCreate:
		return EventText{t("adding the deal", "新建商机"), t("Added", "新建")}
	case EvMove:
		n := e.Entry.Name(lang)
		return EventText{t("the move to "+n, "移到"+n), t("Moved to "+n, "移到"+n)}
	case EvReopen:
		n := e.Entry.Name(lang)
		return EventText{t("reopening it in "+n, "在"+n+"阶段重新打开"), t("Reopened in "+n, "在"+n+"阶段重新打开")}
	case EvWon:
		return EventText{t("marking it won", "标记赢单"), t("Won", "赢单")}
	case EvLost:
		why := ""
		if e.Reason != "" {
			why = e.Reason.Name(lang)
		}
		if why == "" {
			return EventText{t("marking it lost", "标记丢单"), t("Lost", "丢单")}
		}
		return EventText{t("marking it lost ("+why+")", "标记丢单（"+why+"）"), t("Lost ("+why+")", "丢单（"+why+"）")}
	case EvNote:
		q := shorten(oneLine(ToPlain(e.Text)), 60)
		return EventText{t("the note “"+q+"”", "备注“"+q+"”"), q}
	case EvEdit:
		var what, done []string
		if f.Name != "" {
			what = append(what, t("the rename to "+f.Name, "改名为 "+f.Name))
			done = append(done, t("Renamed: "+f.Name, "改名："+f.Name))
		}
		if f.AmountCents != nil {
			m := FormatMoney(Money{Cents: *f.AmountCents, Currency: f.Currency})
			if p := f.Prev; p != nil && p.AmountCents != nil {
				was := FormatMoney(Money{Cents: *p.AmountCents, Currency: p.Currency})
				what = append(what, t("the amount change from "+was+" to "+m, "金额从 "+was+" 改为 "+m))
			} else {
				what = append(what, t("the amount change to "+m, "金额改为 "+m))
			}
			done = append(done, t("Amount set to ", "金额改为 ")+m)
		}
		if f.NoAmount {
			what = append(what, t("removing the amount", "删除金额"))
			done = append(done, t("Amount removed", "删除了金额"))
		}
		if len(what) == 0 {
			return EventText{t("the edit", "修改"), t("Edited", "已修改")}
		}
		return EventText{strings.Join(what, t(" and ", "和")), strings.Join(done, t("; ", "；"))}
	case EvAssign:
		return EventText{t("handing it to <@"+f.Owner+">", "转交给 <@"+f.Owner+">"), t("Handed to <@"+f.Owner+">", "转交给 <@"+f.Owner+">")}
	case EvPause:
		if f.Unpause || f.Until == nil {
			return EventText{t("turning nudges back on", "恢复提醒"), t("Nudges back on", "恢复提醒")}
		}
		until := f.Until.Format("2006-01-02")
		done := fmt.Sprintf(t("Paused until %s", "暂停提醒至 %s"), until)
		if e.Text != "" {
			done += ": " + e.Text
		}
		return EventText{t("the pause until "+until, "暂停提醒至 "+until), done}
	case EvCheck:
		c := criterionText(f.Stage, f.Criterion, lang)
		return EventText{t("the check of “"+c+"”", "确认“"+c+"”"), "✓ " + c}
	case EvDue:
		if f.CloseDate == "" {
			return EventText{t("clearing the close date", "清除预计成交日期"), t("Close date cleared", "清除了预计成交日期")}
		}
		done := fmt.Sprintf(t("Expected to close on %s", "预计成交日期：%s"), f.CloseDate)
		if p := f.Prev; p != nil && p.CloseDate != "" && p.CloseDate < f.CloseDate {
			done += fmt.Sprintf(t(" (slipped from %s)", "（从 %s 推迟）"), p.CloseDate)
		}
		return EventText{t("the close date "+f.CloseDate, "预计成交日期 "+f.CloseDate), done}
	case EvArchive:
		return EventText{t("archiving it", "归档"), t("Archived", "已归档")}
	case EvRestore:
		return EventText{t("restoring it", "恢复"), t("Restored", "已恢复")}
	case EvRevert:
		return EventText{t("the undo", "撤销"), t("Undone", "已撤销")}
	}
	return EventText{t("the edit", "修改"), t("Edited", "已修改")}
}
