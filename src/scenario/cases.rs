//! A scenario's cases, unique by name. `serve --case`, the report and the documentation
//! pages address a case by its name, and a manifest with a repeated name is refused as
//! corrupt, so the collection itself refuses a second case of a name it holds: `insert` is
//! the only way in.

use super::CaseSpec;

/// Cases in declaration order, no two of the same name.
#[derive(Debug, Clone, Default)]
pub struct Cases(Vec<CaseSpec>);

impl Cases {
    /// Appends `case`, or hands back its name when a case of that name is already here.
    pub(super) fn insert(&mut self, case: CaseSpec) -> Result<(), String> {
        if self.named(&case.name).is_some() {
            return Err(case.name);
        }
        self.0.push(case);
        Ok(())
    }

    /// The case called `name`.
    pub fn named(&self, name: &str) -> Option<&CaseSpec> {
        self.0.iter().find(|c| c.name == name)
    }

    /// Each case through `f`, which keeps its name.
    pub(super) fn map(self, f: impl FnMut(CaseSpec) -> CaseSpec) -> Cases {
        let names: Vec<String> = self.0.iter().map(|c| c.name.clone()).collect();
        let cases: Vec<CaseSpec> = self.0.into_iter().map(f).collect();
        assert!(
            cases.iter().map(|c| &c.name).eq(names.iter()),
            "a case was renamed"
        );
        Cases(cases)
    }
}

impl std::ops::Deref for Cases {
    type Target = [CaseSpec];

    fn deref(&self) -> &[CaseSpec] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Cases {
    type Item = &'a CaseSpec;
    type IntoIter = std::slice::Iter<'a, CaseSpec>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::manifest::Expect;
    use crate::scenario::Case;

    #[test]
    fn a_repeated_name_is_handed_back_and_the_first_case_kept() {
        let case = |description: &str| {
            Case::new("same", description)
                .server("server")
                .expect(Expect::ACCEPT)
        };
        let mut cases = Cases::default();
        cases.insert(case("first")).unwrap();
        assert_eq!(cases.insert(case("second")), Err("same".to_string()));
        assert_eq!(cases.len(), 1);
        assert_eq!(cases.named("same").unwrap().description, "first");
    }
}
