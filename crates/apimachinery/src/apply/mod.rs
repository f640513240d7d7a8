//! Server-side apply and managed fields (being written).
