pub mod dialog;
pub mod help;
