//! The 16 PLOVER event types and their quad classes (verbal/material cooperation/conflict),
//! as the PLOVER manual's summary table defines them.

use std::fmt;

/// A PLOVER event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
}

/// The quad class of an event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quad {
    VerbalCooperation,
    MaterialCooperation,
    VerbalConflict,
    MaterialConflict,
}

impl Quad {
    pub fn as_str(self) -> &'static str {
        match self {
            Quad::VerbalCooperation => "verbal_cooperation",
            Quad::MaterialCooperation => "material_cooperation",
            Quad::VerbalConflict => "verbal_conflict",
            Quad::MaterialConflict => "material_conflict",
        }
    }
}

impl EventType {
    pub const ALL: [EventType; 16] = [
        EventType::Agree,
        EventType::Consult,
        EventType::Support,
        EventType::Concede,
        EventType::Cooperate,
        EventType::Aid,
        EventType::Retreat,
        EventType::Request,
        EventType::Accuse,
        EventType::Reject,
        EventType::Threaten,
        EventType::Protest,
        EventType::Sanction,
        EventType::Mobilize,
        EventType::Coerce,
        EventType::Assault,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Agree => "AGREE",
            EventType::Consult => "CONSULT",
            EventType::Support => "SUPPORT",
            EventType::Concede => "CONCEDE",
            EventType::Cooperate => "COOPERATE",
            EventType::Aid => "AID",
            EventType::Retreat => "RETREAT",
            EventType::Request => "REQUEST",
            EventType::Accuse => "ACCUSE",
            EventType::Reject => "REJECT",
            EventType::Threaten => "THREATEN",
            EventType::Protest => "PROTEST",
            EventType::Sanction => "SANCTION",
            EventType::Mobilize => "MOBILIZE",
            EventType::Coerce => "COERCE",
            EventType::Assault => "ASSAULT",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s))
    }

    /// The quad class (PLOVER manual, "Quad categories in PLOVER").
    pub fn quad(self) -> Quad {
        use EventType::*;
        match self {
            Agree | Consult | Support | Concede => Quad::VerbalCooperation,
            Cooperate | Aid | Retreat => Quad::MaterialCooperation,
            Request | Accuse | Reject | Sanction | Threaten => Quad::VerbalConflict,
            Protest | Mobilize | Coerce | Assault => Quad::MaterialConflict,
        }
    }

    /// Whether the type is an action (not a statement): plans and conditionals of these
    /// are not events.
    pub fn is_material(self) -> bool {
        matches!(self.quad(), Quad::MaterialCooperation | Quad::MaterialConflict) || self == EventType::Sanction
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_quads_cover_all() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("assault"), Some(EventType::Assault));
        assert_eq!(EventType::parse("ATTACK"), None);
        assert_eq!(EventType::Sanction.quad(), Quad::VerbalConflict);
        assert_eq!(EventType::Retreat.quad(), Quad::MaterialCooperation);
        assert_eq!(EventType::ALL.iter().filter(|t| t.quad() == Quad::MaterialConflict).count(), 4);
    }
}
