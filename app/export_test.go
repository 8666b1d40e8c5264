package app

// LockDataDirForTest lets tests hold the data-dir lock as a server would.
var LockDataDirForTest = lockDataDir
