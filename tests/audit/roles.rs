//! Roles and actors per stage, and the events whose role is not the stage's owner.

use serde_json::json;

use super::{audit_json, project};

const LOG: &str = "case_id,stage,timestamp,actor,role\n\
                   A,lead,2026-03-01,王芳,boss\n\
                   A,qualify,2026-03-02,李雷,Boss\n\
                   A,won,2026-03-04,李雷,rep\n\
                   B,lead,2026-03-01,Tom,rep\n\
                   B,Qualify,2026-03-03,Tom,rep\n\
                   B,propose,2026-03-04,Tom,\n\
                   C,lead,2026-03-02,Tom,rep\n";

fn stage<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
}

#[test]
fn roles_actors_and_owner_mismatch_per_stage() {
    let p = project("log.csv", LOG);
    let r = audit_json(&p, "log.csv", &[]).json();
    // The demo SOP's stages are owned by `boss` ("Boss"): its id and its title both match.
    let lead = stage(&r, "lead");
    assert_eq!(lead["roles"], json!({"boss": 1, "rep": 2}));
    assert_eq!(lead["actors"], json!({"Tom": 2, "王芳": 1}));
    assert_eq!(lead["owner_mismatch"], 2);
    assert_eq!(stage(&r, "qualify")["owner_mismatch"], 0);
    // An event without a role says nothing of who handled it.
    assert_eq!(stage(&r, "propose")["roles"], json!({}));
    assert_eq!(stage(&r, "propose")["owner_mismatch"], 0);
    // No owner (`won`), an unknown stage (`Qualify`): null.
    assert_eq!(stage(&r, "won")["owner_mismatch"], json!(null));
    assert_eq!(stage(&r, "Qualify")["roles"], json!({"rep": 1}));
    assert_eq!(stage(&r, "Qualify")["owner_mismatch"], json!(null));
    assert_eq!(
        r["deviations"]["owner_mismatch"],
        json!([{"stage": "lead", "role": "rep", "events": 2, "cases": 2}])
    );
}

#[test]
fn without_role_or_actor_columns_there_is_nothing_to_say() {
    let plain: String = LOG
        .lines()
        .map(|l| l.rsplitn(3, ',').nth(2).unwrap().to_string() + "\n")
        .collect();
    let p = project("log.csv", &plain);
    let r = audit_json(&p, "log.csv", &[]).json();
    let lead = stage(&r, "lead");
    assert!(
        lead.get("roles").is_none() && lead.get("actors").is_none(),
        "{lead}"
    );
    assert_eq!(lead["owner_mismatch"], json!(null));
    assert_eq!(r["deviations"]["owner_mismatch"], json!([]));
    // `--role-col` names another column.
    let renamed = LOG.replacen(",role\n", ",job\n", 1);
    let p = project("log.csv", &renamed);
    let r = audit_json(
        &p,
        "log.csv",
        &["--role-col", "job", "--actor-col", "stage"],
    )
    .json();
    assert_eq!(stage(&r, "lead")["owner_mismatch"], 2);
    assert_eq!(stage(&r, "won")["actors"], json!({"won": 1}));
}
