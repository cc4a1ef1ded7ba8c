-- Every connection now turns on secure_delete, so deleted and overwritten text is zeroed in
-- place. A database written before may still hold old text in its free space: the next purge
-- runs one whole-file VACUUM on it, then removes this key. A database created from now on
-- never has the key (it is removed as the file is created).
INSERT OR REPLACE INTO meta (key, value) VALUES ('scrub_once', 'written before secure_delete');
