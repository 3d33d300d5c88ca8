/*
 * version.h: the version of Bisik, written in this one place. `bisik
 * --version` prints it, and any other program that shows a version takes
 * it from here, so a release changes one line.
 */
#ifndef BISIK_VERSION_H
#define BISIK_VERSION_H

#define BISIK_VERSION	"0.1.0"

#endif
