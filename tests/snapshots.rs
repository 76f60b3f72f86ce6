//! Rendered drafts, reviewed by a person and frozen: any change to the pack or engine
//! that alters them shows up as a diff (`cargo insta review`).

mod common;

#[test]
fn faithful_seed_speech() {
    insta::assert_snapshot!("faithful_xibuhe", common::faithful());
}

#[test]
fn taiping_zhen_seed_1() {
    insta::assert_snapshot!("taiping_zhen_1", common::draft("太平镇", 1));
}

#[test]
fn dazhalan_jiedao_seed_2() {
    insta::assert_snapshot!("dazhalan_jiedao_2", common::draft("大栅栏街道", 2));
}

#[test]
fn bayin_sumu_seed_3() {
    insta::assert_snapshot!("bayin_sumu_3", common::draft("巴音苏木", 3));
}
