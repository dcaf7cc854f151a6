-- shared::people::keys::fold now also takes the accents off the letters of
-- Latin Extended-A and Romanian (ă ș ț, ğ ş ı, ř ě ů, ő ű...) and spells out
-- ß, æ, œ, þ and ĳ. A stored key already holds lower-case letters only, with
-- the older table applied, so applying the added letters to it gives exactly
-- the key the new code computes.
UPDATE people SET
    name_key = replace(replace(replace(replace(replace(translate(name_key, 'ăąĉċďđðĕėěĝğġģĥħĩĭįıĵķĺļľŀņňŉŋŏőŕŗřŝşșţťŧțŭůűųŵŷ', 'aaccdddeeegggghhiiiijkllllnnnnoorrrsssttttuuuuwy'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), 'ĳ', 'ij'),
    forename_key = replace(replace(replace(replace(replace(translate(forename_key, 'ăąĉċďđðĕėěĝğġģĥħĩĭįıĵķĺļľŀņňŉŋŏőŕŗřŝşșţťŧțŭůűųŵŷ', 'aaccdddeeegggghhiiiijkllllnnnnoorrrsssttttuuuuwy'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), 'ĳ', 'ij')
WHERE name_key ~ '[^a-z]' OR forename_key ~ '[^a-z]';
