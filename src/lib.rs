//! kernteam-bot: keeps a Dutch municipal crisis team coordinated in its chat room.
//!
//! See ARCHITECTURE.md for how the parts fit.

pub mod anchor;
pub mod catalogue;
pub mod chain;
pub mod config;
pub mod console;
pub mod core;
pub mod draaiboek;
pub mod effect;
pub mod engine;
pub mod flood;
pub mod matrix;
pub mod model;
pub mod people;
pub mod private;
pub mod render;
pub mod reply;
pub mod scheduler;
pub mod store;
pub mod timeexpr;
pub mod view;
