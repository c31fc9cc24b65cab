use argmap::workspace::Workspace;
use std::path::Path;
use std::time::Instant;
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let mut ws = Workspace::open(Path::new(&root)).unwrap();
    ws.keep_findings();
    std::mem::forget(argmap::Analysis::offline(&ws));
    let text = std::fs::read_to_string(Path::new(&root).join("arguments/map0000.yaml")).unwrap();
    for i in 0..20 {
        ws.set_text("arguments/map0000.yaml", format!("{text}# {i}\n"));
        let t = Instant::now();
        let an = argmap::Analysis::offline(&ws);
        if i % 5 == 0 {
            eprintln!("offline {:?}", t.elapsed());
        }
        std::mem::forget(an);
    }
}
