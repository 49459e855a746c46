ALTER TABLE "analysis_results" ADD COLUMN "benchmark_pooled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_results" ADD COLUMN "parent_pooled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_runs" ADD COLUMN "input_fingerprint" text DEFAULT '' NOT NULL;