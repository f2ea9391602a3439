# Writes the Debian changelog a native package must carry: one entry for this version, dated now (or at
# SOURCE_DATE_EPOCH, for a reproducible package). In: VERSION, MAINTAINER, OUT.
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE "${OUT}" "folio (${VERSION}) unstable; urgency=medium

  * Folio ${VERSION}, packaged with CPack; folio --version names its commit.

 -- ${MAINTAINER}  ${date}
")
