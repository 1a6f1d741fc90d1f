/* SPDX-License-Identifier: MIT */
/* Placeholder: being written. */
extern int placeholder_session;
