//! An image config's history as the Dockerfile that made it. The classic
//! builder records `/bin/sh -c #(nop)  CMD ["sh"]` for instructions and
//! `/bin/sh -c apk add …` for `RUN`; BuildKit records `RUN |2 A=1 B=2
//! /bin/sh -c make # buildkit` (the build args of the step first),
//! `COPY … # buildkit`, `EXPOSE map[8080/tcp:{}]`. Heredocs stay as
//! written.

/// One history step as a Dockerfile line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// `RUN apk add curl`, `CMD ["sh"]`; empty when nothing was recorded.
    pub text: String,
    /// The build args BuildKit recorded for a `RUN` (`A=1`).
    pub args: Vec<String>,
}

fn without_buildkit_mark(s: &str) -> &str {
    s.strip_suffix("# buildkit").map(str::trim_end).unwrap_or(s)
}

/// `|2 A=1 B=2 rest` → (["A=1", "B=2"], "rest").
fn build_args(s: &str) -> (Vec<String>, &str) {
    let Some(rest) = s.strip_prefix('|') else {
        return (Vec::new(), s);
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let Ok(n) = rest[..digits].parse::<usize>() else {
        return (Vec::new(), s);
    };
    let mut rest = rest[digits..].trim_start();
    let mut args = Vec::new();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        args.push(rest[..end].to_string());
        rest = rest[end..].trim_start();
    }
    (args, rest)
}

/// `EXPOSE map[8080/tcp:{} 53/udp:{}]` → `EXPOSE 8080/tcp 53/udp`.
fn tidy(instruction: &str) -> String {
    if let Some(ports) = instruction
        .strip_prefix("EXPOSE map[")
        .and_then(|p| p.strip_suffix(']'))
    {
        let ports: Vec<&str> = ports
            .split_whitespace()
            .map(|p| p.trim_end_matches(":{}"))
            .collect();
        return format!("EXPOSE {}", ports.join(" "));
    }
    instruction.to_string()
}

fn shell_command(s: &str) -> Option<&str> {
    ["/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "]
        .iter()
        .find_map(|shell| s.strip_prefix(shell))
}

pub fn instruction(created_by: &str) -> Instruction {
    let s = created_by.trim();
    if let Some(rest) = shell_command(s) {
        let rest = rest.trim_start();
        let text = match rest.strip_prefix("#(nop)") {
            Some(i) => tidy(i.trim()),
            None => format!("RUN {rest}"),
        };
        return Instruction {
            text,
            args: Vec::new(),
        };
    }
    let s = without_buildkit_mark(s);
    if let Some(rest) = s.strip_prefix("RUN ") {
        let (args, rest) = build_args(rest.trim_start());
        let rest = shell_command(rest).unwrap_or(rest);
        return Instruction {
            text: format!("RUN {rest}"),
            args,
        };
    }
    Instruction {
        text: tidy(s),
        args: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        instruction(s).text
    }

    #[test]
    fn the_classic_builder() {
        assert_eq!(text("/bin/sh -c #(nop)  CMD [\"sh\"]"), "CMD [\"sh\"]");
        assert_eq!(
            text("/bin/sh -c #(nop) ADD file:3b1e0d5 in / "),
            "ADD file:3b1e0d5 in /"
        );
        assert_eq!(
            text("/bin/sh -c apk add --no-cache curl"),
            "RUN apk add --no-cache curl"
        );
        assert_eq!(
            text("/bin/sh -c #(nop)  EXPOSE map[8080/tcp:{}]"),
            "EXPOSE 8080/tcp"
        );
        assert_eq!(text(""), "");
    }

    #[test]
    fn buildkit_with_build_args_and_heredocs() {
        let i = instruction("RUN |2 VERSION=1.2 TARGET=prod /bin/sh -c make release # buildkit");
        assert_eq!(i.text, "RUN make release");
        assert_eq!(i.args, ["VERSION=1.2", "TARGET=prod"]);
        assert_eq!(
            text("COPY app/server /app/server # buildkit"),
            "COPY app/server /app/server"
        );
        assert_eq!(
            text("ENV PATH=/usr/local/bin:/usr/bin"),
            "ENV PATH=/usr/local/bin:/usr/bin"
        );
        assert_eq!(
            text("EXPOSE map[80/tcp:{} 53/udp:{}]"),
            "EXPOSE 80/tcp 53/udp"
        );
        let heredoc =
            "RUN /bin/sh -c <<EOF\napt-get update\napt-get install -y curl\nEOF # buildkit";
        assert_eq!(
            text(heredoc),
            "RUN <<EOF\napt-get update\napt-get install -y curl\nEOF"
        );
        assert_eq!(text("RUN |x nonsense"), "RUN |x nonsense");
    }
}
