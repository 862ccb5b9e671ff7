//! The signed-in user as seen by the UI. The server re-checks on every call;
//! this only decides what to show.
use crate::api::auth::{current_user, UserView};
use crate::api::AppError;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<UserView>, AppError>>,
    version: RwSignal<u32>,
}

impl Auth {
    /// Re-reads the user after login, logout or a role change.
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }
}

pub fn provide_auth() {
    let version = RwSignal::new(0u32);
    let user = Resource::new(move || version.get(), |_| current_user());
    provide_context(Auth { user, version });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
