-- shared::people::keys::fold now also takes the accents off the letters of
-- Latin Extended-A and Romanian (ă ș ț, ğ ş ı, ř ě ů, ő ű...) and spells out
-- ß, æ, œ, þ and ĳ. A stored key already holds lower-case letters only, with
-- the older table applied, so applying the added letters to it gives exactly
-- the key the new code computes (combining letters, which the older code kept
-- as letters and the new one drops, go too, and Mc is read as Mac again).
UPDATE people SET
    name_key = regexp_replace(regexp_replace(replace(replace(replace(replace(replace(translate(name_key, 'ăąĉċďđðĕėěĝğġģĥħĩĭįıĵķĸĺļľŀņňŉŋŏőŕŗřŝşșſţťŧțũŭůűųŵŷ', 'aaccdddeeegggghhiiiijkkllllnnnnoorrrssssttttuuuuuwy'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), 'ĳ', 'ij'), U&'[\0345\0363-\036F]', '', 'g'), '^mc', 'mac'),
    forename_key = regexp_replace(regexp_replace(replace(replace(replace(replace(replace(translate(forename_key, 'ăąĉċďđðĕėěĝğġģĥħĩĭįıĵķĸĺļľŀņňŉŋŏőŕŗřŝşșſţťŧțũŭůűųŵŷ', 'aaccdddeeegggghhiiiijkkllllnnnnoorrrssssttttuuuuuwy'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), 'ĳ', 'ij'), U&'[\0345\0363-\036F]', '', 'g'), '^mc', 'mac')
WHERE name_key ~ '[^a-z]' OR forename_key ~ '[^a-z]';
