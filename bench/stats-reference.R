# Same-run reference for bench/stats.ts (issue 18): a base-R, vectorised re-implementation of PHEindicatormethods'
# phe_proportion (Wilson) and phe_rate (exact chi-square limits when x < 10, Byar's otherwise, both branches evaluated
# over the whole vector and chosen with ifelse, as the package's if_else does). It is NOT the package (CRAN is not
# reachable from the build machine), has no dplyr/grouping overhead, and is therefore faster than the package itself.
# Usage: Rscript bench/stats-reference.R ROWS REPEATS   (prints per method: elapsed seconds, CPU seconds, checksum)
args <- commandArgs(trailingOnly = TRUE)
rows <- as.numeric(args[1])
repeats <- as.integer(args[2])
i <- seq_len(rows)
x <- (i * 7919) %% 1000
n <- x + 1 + (i * 104729) %% 100000
confidence <- 0.95

wilson_proportion <- function(x, n, confidence = 0.95, multiplier = 1) {
  z <- qnorm(confidence + (1 - confidence) / 2)
  value <- x / n * multiplier
  spread <- z * sqrt(z^2 + 4 * x * (1 - x / n))
  lower <- (2 * x + z^2 - spread) / 2 / (n + z^2) * multiplier
  upper <- (2 * x + z^2 + spread) / 2 / (n + z^2) * multiplier
  data.frame(value = value, lowercl = lower, uppercl = upper)
}

byars_lower <- function(x, confidence = 0.95) {
  z <- qnorm(confidence + (1 - confidence) / 2)
  x * (1 - 1 / (9 * x) - z / (3 * sqrt(x)))^3
}
byars_upper <- function(x, confidence = 0.95) {
  z <- qnorm(confidence + (1 - confidence) / 2)
  (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1)))^3
}

rate <- function(x, n, confidence = 0.95, multiplier = 100000) {
  value <- x / n * multiplier
  lower <- ifelse(x < 10, qchisq((1 - confidence) / 2, 2 * x) / 2 / n * multiplier,
                  byars_lower(x, confidence) / n * multiplier)
  upper <- ifelse(x < 10, qchisq(confidence + (1 - confidence) / 2, 2 * x + 2) / 2 / n * multiplier,
                  byars_upper(x, confidence) / n * multiplier)
  data.frame(value = value, lowercl = lower, uppercl = upper)
}

run <- function(name, f) {
  elapsed <- numeric(repeats)
  cpu <- numeric(repeats)
  for (r in seq_len(repeats)) {
    t0 <- proc.time()
    result <- f()
    t <- proc.time() - t0
    elapsed[r] <- t[["elapsed"]]
    cpu[r] <- t[["user.self"]] + t[["sys.self"]]
  }
  cat(name, "elapsed", sprintf("%.4f", elapsed), "\n")
  cat(name, "cpu", sprintf("%.4f", cpu), "\n")
  cat(name, "checksum", sprintf("%.12e", sum(result$uppercl)), "\n")
}

run("proportion", function() wilson_proportion(x, n, confidence, 1))
run("rate", function() rate(x, n, confidence, 100000))
