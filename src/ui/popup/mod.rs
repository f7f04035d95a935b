pub mod dialog;
mod dialog_scaling;
pub mod help;
