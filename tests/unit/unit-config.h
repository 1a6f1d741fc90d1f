/* SPDX-License-Identifier: MIT */
/* A config file of the tests' own: XDG_CONFIG_HOME points at one temporary
 * directory for the whole run (removed at exit), whose config.yaml each call
 * replaces with text. */
#ifndef UNIT_CONFIG_H
#define UNIT_CONFIG_H

void unit_config_write(const char *text);

#endif
