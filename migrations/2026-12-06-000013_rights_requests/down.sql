DROP TABLE rights_releases;
DROP TABLE rights_pack_decisions;
DROP TABLE rights_packs;
DROP TABLE rights_request_timeline;
DROP TABLE rights_request_subjects;
DROP TABLE rights_requests;
DROP SEQUENCE rights_request_reference_seq;
