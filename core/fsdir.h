/*
 * fsdir.h: making a directory entry durable (fsdir.c).
 *
 * A file renamed or created into place survives a crash only once the
 * directory that names it is synced too. Every layer that writes files
 * needs this (store/ for the data file, its backups and compaction,
 * crypto/ for key files, server/ and client/), and none of them may
 * include another's headers; so it lives here, in a leaf of core/ whose
 * header includes nothing but libc. It is the one header of core/ that
 * store/ and crypto/ may include (docs/design.md, "Modules").
 */
#ifndef BISIK_CORE_FSDIR_H
#define BISIK_CORE_FSDIR_H

/* fsync(2) of the directory dir: 0, else -1 with errno set. A file
 * system that cannot sync a directory (EINVAL) has nothing more to do:
 * that is 0. */
int	core_fsync_dir(const char *dir)
	    __attribute__((warn_unused_result));
/* The same for the directory holding path ("." when path has no slash,
 * "/" for a name at the root); -1 with ENAMETOOLONG if it does not fit
 * PATH_MAX. */
int	core_fsync_parent(const char *path)
	    __attribute__((warn_unused_result));

#endif
