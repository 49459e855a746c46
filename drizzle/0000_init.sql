CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "area_aliases" (
	"id" serial PRIMARY KEY NOT NULL,
	"area_code" text NOT NULL,
	"alias" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "area_memberships" (
	"id" serial PRIMARY KEY NOT NULL,
	"grouping_code" text NOT NULL,
	"area_code" text NOT NULL,
	"valid_from" date,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"code" text PRIMARY KEY NOT NULL,
	"name" jsonb NOT NULL,
	"type" text NOT NULL,
	"parent_code" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"valid_from" date,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" integer,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_key" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "comparator_group_members" (
	"group_id" integer NOT NULL,
	"area_code" text NOT NULL,
	CONSTRAINT "comparator_group_members_group_id_area_code_pk" PRIMARY KEY("group_id","area_code")
);
--> statement-breakpoint
CREATE TABLE "comparator_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"owner_user_id" integer,
	"is_public" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comparator_groups_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "core_aim_articles" (
	"core_aim_code" text NOT NULL,
	"article_number" integer NOT NULL,
	"confidence" text NOT NULL,
	CONSTRAINT "core_aim_articles_core_aim_code_article_number_pk" PRIMARY KEY("core_aim_code","article_number")
);
--> statement-breakpoint
CREATE TABLE "core_aims" (
	"code" text PRIMARY KEY NOT NULL,
	"sort_order" integer NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb
);
--> statement-breakpoint
CREATE TABLE "dimensions" (
	"code" text PRIMARY KEY NOT NULL,
	"title" jsonb NOT NULL,
	"values" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "frameworks" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"version" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb,
	"status" text NOT NULL,
	"published_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_code" text,
	"file_name" text,
	"format" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	"reason" text,
	"row_counts" jsonb,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"publish_at" timestamp with time zone,
	"published_by" integer,
	"rolled_back_by" integer
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"succeeded" boolean NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_articles" (
	"measure_id" integer NOT NULL,
	"article_number" integer NOT NULL,
	CONSTRAINT "measure_articles_measure_id_article_number_pk" PRIMARY KEY("measure_id","article_number")
);
--> statement-breakpoint
CREATE TABLE "measure_core_aims" (
	"measure_id" integer NOT NULL,
	"core_aim_code" text NOT NULL,
	CONSTRAINT "measure_core_aims_measure_id_core_aim_code_pk" PRIMARY KEY("measure_id","core_aim_code")
);
--> statement-breakpoint
CREATE TABLE "measure_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"framework_id" integer NOT NULL,
	"code" text NOT NULL,
	"core_aim_code" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb
);
--> statement-breakpoint
CREATE TABLE "measures" (
	"id" serial PRIMARY KEY NOT NULL,
	"framework_id" integer NOT NULL,
	"code" text NOT NULL,
	"title" jsonb NOT NULL,
	"short_title" jsonb,
	"lay_definition" jsonb NOT NULL,
	"technical_definition" jsonb NOT NULL,
	"rationale" jsonb,
	"numerator_definition" jsonb,
	"denominator_definition" jsonb,
	"caveats" jsonb,
	"unit" text NOT NULL,
	"multiplier" double precision DEFAULT 1 NOT NULL,
	"decimals" integer DEFAULT 1 NOT NULL,
	"value_type" text NOT NULL,
	"polarity" text NOT NULL,
	"accountability" text NOT NULL,
	"tier" text NOT NULL,
	"group_id" integer,
	"source_code" text,
	"frequency" text NOT NULL,
	"period_type" text NOT NULL,
	"geographies" text[] NOT NULL,
	"breakdowns" text[] NOT NULL,
	"suppress_below" integer,
	"round_to" integer,
	"target_value" double precision,
	"target_note" jsonb,
	"status" text NOT NULL,
	"replaces_code" text,
	"break_in_series" text,
	"owner" text,
	"next_review" date,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"measure_code" text NOT NULL,
	"area_code" text NOT NULL,
	"period" text NOT NULL,
	"period_end" date NOT NULL,
	"breakdown" text DEFAULT 'total' NOT NULL,
	"value" double precision,
	"numerator" double precision,
	"denominator" double precision,
	"lower_95" double precision,
	"upper_95" double precision,
	"lower_998" double precision,
	"upper_998" double precision,
	"ci_supplied" boolean DEFAULT false NOT NULL,
	"note_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"withdrawn" boolean DEFAULT false NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	"batch_id" integer NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"replaces_id" bigint,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"code" text PRIMARY KEY NOT NULL,
	"name" jsonb NOT NULL,
	"publisher" text NOT NULL,
	"url" text,
	"licence" text,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uncrc_articles" (
	"number" integer PRIMARY KEY NOT NULL,
	"title" jsonb NOT NULL,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "user_areas" (
	"user_id" integer NOT NULL,
	"area_code" text NOT NULL,
	CONSTRAINT "user_areas_user_id_area_code_pk" PRIMARY KEY("user_id","area_code")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "area_aliases" ADD CONSTRAINT "area_aliases_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "area_memberships" ADD CONSTRAINT "area_memberships_grouping_code_areas_code_fk" FOREIGN KEY ("grouping_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "area_memberships" ADD CONSTRAINT "area_memberships_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparator_group_members" ADD CONSTRAINT "comparator_group_members_group_id_comparator_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."comparator_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparator_group_members" ADD CONSTRAINT "comparator_group_members_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comparator_groups" ADD CONSTRAINT "comparator_groups_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_aim_articles" ADD CONSTRAINT "core_aim_articles_core_aim_code_core_aims_code_fk" FOREIGN KEY ("core_aim_code") REFERENCES "public"."core_aims"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_aim_articles" ADD CONSTRAINT "core_aim_articles_article_number_uncrc_articles_number_fk" FOREIGN KEY ("article_number") REFERENCES "public"."uncrc_articles"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_source_code_sources_code_fk" FOREIGN KEY ("source_code") REFERENCES "public"."sources"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_articles" ADD CONSTRAINT "measure_articles_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_articles" ADD CONSTRAINT "measure_articles_article_number_uncrc_articles_number_fk" FOREIGN KEY ("article_number") REFERENCES "public"."uncrc_articles"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_core_aims" ADD CONSTRAINT "measure_core_aims_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_core_aims" ADD CONSTRAINT "measure_core_aims_core_aim_code_core_aims_code_fk" FOREIGN KEY ("core_aim_code") REFERENCES "public"."core_aims"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_groups" ADD CONSTRAINT "measure_groups_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_groups" ADD CONSTRAINT "measure_groups_core_aim_code_core_aims_code_fk" FOREIGN KEY ("core_aim_code") REFERENCES "public"."core_aims"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_framework_id_frameworks_id_fk" FOREIGN KEY ("framework_id") REFERENCES "public"."frameworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_group_id_measure_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."measure_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_source_code_sources_code_fk" FOREIGN KEY ("source_code") REFERENCES "public"."sources"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_areas" ADD CONSTRAINT "user_areas_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_areas" ADD CONSTRAINT "user_areas_area_code_areas_code_fk" FOREIGN KEY ("area_code") REFERENCES "public"."areas"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "area_aliases_alias_uq" ON "area_aliases" USING btree ("alias");--> statement-breakpoint
CREATE INDEX "area_memberships_area_idx" ON "area_memberships" USING btree ("area_code");--> statement-breakpoint
CREATE INDEX "areas_type_idx" ON "areas" USING btree ("type");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_key");--> statement-breakpoint
CREATE UNIQUE INDEX "frameworks_code_version_uq" ON "frameworks" USING btree ("code","version");--> statement-breakpoint
CREATE INDEX "login_attempts_email_idx" ON "login_attempts" USING btree ("email","attempted_at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_idx" ON "login_attempts" USING btree ("ip");--> statement-breakpoint
CREATE UNIQUE INDEX "measure_groups_framework_code_uq" ON "measure_groups" USING btree ("framework_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "measures_framework_code_uq" ON "measures" USING btree ("framework_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "observations_key_revision_uq" ON "observations" USING btree ("measure_code","area_code","period","breakdown","revision");--> statement-breakpoint
CREATE INDEX "observations_area_idx" ON "observations" USING btree ("area_code","measure_code");--> statement-breakpoint
CREATE INDEX "observations_batch_idx" ON "observations" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");