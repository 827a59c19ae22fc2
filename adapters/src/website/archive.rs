//! The live entries in memory, with the indexes the index pages are rendered from: newest
//! first, by month and department, and by department, fiscal year and month. Each index page
//! takes only the entries it lists and the counts it shows ([`Listings`]), so rendering one costs
//! what the page shows, not the size of the archive.
//!
//! What must never happen here: an index that disagrees with the entries by id. Every change
//! goes through [`Archive::insert`] and [`Archive::remove`], which update all of them.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::entry::{Entries, Entry, MonthKey};

/// Where an entry stands in a list, newest first; the id breaks ties as in
/// [`Entry::newest_first`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank(Reverse<DateTime<Utc>>, Reverse<i64>);

impl Rank {
    fn of(e: &Entry) -> Self {
        Rank(Reverse(e.published_at), Reverse(e.id))
    }
}

/// Entries newest first.
type List = BTreeMap<Rank, Arc<Entry>>;

/// One department's entries: newest first, and by fiscal year and month.
#[derive(Debug, Default)]
struct DepartmentIndex {
    newest: List,
    years: BTreeMap<i32, BTreeMap<MonthKey, List>>,
}

/// The live entries of a site and their indexes.
#[derive(Debug, Default)]
pub struct Archive {
    by_id: Entries,
    newest: List,
    /// Month → department code → entries.
    months: BTreeMap<MonthKey, BTreeMap<String, List>>,
    departments: BTreeMap<String, DepartmentIndex>,
}

/// A department page's entries: its newest ones, how many it has in each month, its total,
/// and the entry that names it (the newest, so a renamed department shows its new name).
#[derive(Debug)]
pub struct DepartmentListing {
    pub named_by: Option<Arc<Entry>>,
    pub latest: Vec<Arc<Entry>>,
    /// Ascending.
    pub months: Vec<(MonthKey, usize)>,
    pub total: usize,
}

/// A department's page for one fiscal year: its months, newest first, each with its entries
/// newest first; named by the department's newest entry.
#[derive(Debug)]
pub struct YearListing {
    pub named_by: Option<Arc<Entry>>,
    pub months: Vec<(MonthKey, Vec<Arc<Entry>>)>,
}

/// A month page's entries by department (by code), each group newest first.
#[derive(Debug)]
pub struct MonthListing {
    pub groups: Vec<(String, Vec<Arc<Entry>>)>,
}

/// What the home page, the two indexes and the feeds show: the newest entries, every
/// department with its count (and its newest entry, which names it), every month with its count.
#[derive(Debug)]
pub struct Overview {
    pub latest: Vec<Arc<Entry>>,
    pub departments: Vec<(String, Arc<Entry>, usize)>,
    /// Ascending.
    pub months: Vec<(MonthKey, usize)>,
    pub total: usize,
}

fn take(list: &List, n: usize) -> Vec<Arc<Entry>> {
    list.values().take(n).cloned().collect()
}

impl Archive {
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn get(&self, id: i64) -> Option<&Arc<Entry>> {
        self.by_id.get(&id)
    }

    /// Every entry, by id.
    pub fn values(&self) -> impl Iterator<Item = &Arc<Entry>> {
        self.by_id.values()
    }

    /// Put `e` in place of the entry with its id (returned, if there was one).
    pub fn insert(&mut self, e: Arc<Entry>) -> Option<Arc<Entry>> {
        let previous = self.remove(e.id);
        let rank = Rank::of(&e);
        let (month, code) = (e.month(), e.department.code.clone());
        self.newest.insert(rank, Arc::clone(&e));
        self.months
            .entry(month)
            .or_default()
            .entry(code.clone())
            .or_default()
            .insert(rank, Arc::clone(&e));
        let d = self.departments.entry(code).or_default();
        d.newest.insert(rank, Arc::clone(&e));
        d.years
            .entry(e.fiscal_year())
            .or_default()
            .entry(month)
            .or_default()
            .insert(rank, Arc::clone(&e));
        self.by_id.insert(e.id, e);
        previous
    }

    /// Take the entry with `id` out of the archive and every index; an index left empty goes.
    pub fn remove(&mut self, id: i64) -> Option<Arc<Entry>> {
        let e = self.by_id.remove(&id)?;
        let rank = Rank::of(&e);
        let (month, code, fy) = (e.month(), e.department.code.as_str(), e.fiscal_year());
        self.newest.remove(&rank);
        if let Some(by_code) = self.months.get_mut(&month) {
            if let Some(list) = by_code.get_mut(code) {
                list.remove(&rank);
                if list.is_empty() {
                    by_code.remove(code);
                }
            }
            if by_code.is_empty() {
                self.months.remove(&month);
            }
        }
        if let Some(d) = self.departments.get_mut(code) {
            d.newest.remove(&rank);
            if let Some(months) = d.years.get_mut(&fy) {
                if let Some(list) = months.get_mut(&month) {
                    list.remove(&rank);
                    if list.is_empty() {
                        months.remove(&month);
                    }
                }
                if months.is_empty() {
                    d.years.remove(&fy);
                }
            }
            if d.newest.is_empty() {
                self.departments.remove(code);
            }
        }
        Some(e)
    }

    /// The `n` newest entries, newest first.
    pub fn newest(&self, n: usize) -> Vec<Arc<Entry>> {
        take(&self.newest, n)
    }

    /// Every department code with entries, its newest entry and its fiscal years.
    pub fn departments(&self) -> impl Iterator<Item = (&str, &Arc<Entry>, Vec<i32>)> {
        self.departments.iter().filter_map(|(code, d)| {
            let newest = d.newest.values().next()?;
            Some((code.as_str(), newest, d.years.keys().copied().collect()))
        })
    }

    /// Every month with entries, ascending.
    pub fn months(&self) -> impl Iterator<Item = MonthKey> + '_ {
        self.months.keys().copied()
    }

    /// The home page's, the indexes' and the feeds' entries and counts; `latest` newest.
    pub fn overview(&self, latest: usize) -> Overview {
        Overview {
            latest: self.newest(latest),
            departments: self
                .departments
                .iter()
                .filter_map(|(code, d)| {
                    let newest = d.newest.values().next()?;
                    Some((code.clone(), Arc::clone(newest), d.newest.len()))
                })
                .collect(),
            months: self
                .months
                .iter()
                .map(|(m, by_code)| (*m, by_code.values().map(List::len).sum()))
                .collect(),
            total: self.len(),
        }
    }

    /// A department page's entries; `latest` of the newest.
    pub fn department(&self, code: &str, latest: usize) -> DepartmentListing {
        let Some(d) = self.departments.get(code) else {
            return DepartmentListing {
                named_by: None,
                latest: Vec::new(),
                months: Vec::new(),
                total: 0,
            };
        };
        DepartmentListing {
            named_by: d.newest.values().next().cloned(),
            latest: take(&d.newest, latest),
            months: d
                .years
                .values()
                .flat_map(|months| months.iter().map(|(m, list)| (*m, list.len())))
                .collect(),
            total: d.newest.len(),
        }
    }

    /// A department's page for fiscal year `fy`.
    pub fn department_year(&self, code: &str, fy: i32) -> YearListing {
        let d = self.departments.get(code);
        YearListing {
            named_by: d.and_then(|d| d.newest.values().next().cloned()),
            months: d
                .and_then(|d| d.years.get(&fy))
                .map(|months| {
                    months
                        .iter()
                        .rev()
                        .map(|(m, list)| (*m, list.values().cloned().collect()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// A month page's entries.
    pub fn month(&self, key: MonthKey) -> MonthListing {
        MonthListing {
            groups: self
                .months
                .get(&key)
                .map(|by_code| {
                    by_code
                        .iter()
                        .map(|(code, list)| (code.clone(), list.values().cloned().collect()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

impl FromIterator<Arc<Entry>> for Archive {
    fn from_iter<I: IntoIterator<Item = Arc<Entry>>>(iter: I) -> Self {
        let mut a = Archive::default();
        for e in iter {
            a.insert(e);
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Department;

    fn entry(id: i64, code: &str, at: &str) -> Arc<Entry> {
        let draft = crate::Draft {
            announcement_id: id,
            department: Department {
                code: code.into(),
                name_th: format!("{code} {id}"),
                name_en: code.into(),
            },
            title: format!("{id}"),
            text: String::new(),
            media: vec![],
            link: None,
            published_at: at.parse().unwrap(),
            tags: vec![],
        };
        let payload = crate::Payload::from_draft("website", &draft);
        Arc::new(Entry::from_payload(&payload, String::new(), "k"))
    }

    #[test]
    fn indexes_follow_inserts_moves_and_removals() {
        let mut a: Archive = [
            entry(1, "traffic", "2025-03-01T02:00:00Z"),
            entry(2, "traffic", "2025-03-02T02:00:00Z"),
            entry(3, "investigation", "2025-10-02T02:00:00Z"),
        ]
        .into_iter()
        .collect();
        let ids = |v: &[Arc<Entry>]| v.iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(&a.newest(10)), [3, 2, 1]);
        let march = MonthKey {
            be_year: 2568,
            month: 3,
        };
        assert_eq!(a.month(march).groups.len(), 1);
        assert_eq!(ids(&a.month(march).groups[0].1), [2, 1]);
        let d = a.department("traffic", 1);
        assert_eq!((ids(&d.latest), d.total), (vec![2], 2));
        assert_eq!(d.named_by.unwrap().department.name_th, "traffic 2");

        // Entry 2 moves to investigation in October: March keeps 1, traffic's count drops.
        let previous = a.insert(entry(2, "investigation", "2025-10-01T02:00:00Z"));
        assert_eq!(previous.unwrap().department.code, "traffic");
        assert_eq!(ids(&a.month(march).groups[0].1), [1]);
        assert_eq!(a.department("traffic", 20).total, 1);
        let y = a.department_year("investigation", 2569);
        assert_eq!(y.months.len(), 1);
        assert_eq!(ids(&y.months[0].1), [3, 2]);

        a.remove(1);
        assert!(a.month(march).groups.is_empty());
        assert_eq!(a.months().count(), 1);
        assert_eq!(a.departments().count(), 1);
        let o = a.overview(50);
        assert_eq!((o.total, o.departments.len(), o.months.len()), (2, 1, 1));
        assert_eq!(o.months[0].1, 2);
    }
}
