--
-- PostgreSQL database dump
--

\restrict 8fGkqDSx2

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TYPE public.status AS ENUM (
    'active',
    'banned',
    'deleted'
);

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL,
    nickname character varying(50),
    status public.status DEFAULT 'active'::public.status NOT NULL
);

ALTER TABLE public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.users_id_seq
);

CREATE TABLE public.posts (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    title text NOT NULL,
    published_at timestamp with time zone,
    CONSTRAINT posts_title_check CHECK ((length(title) > 0))
);

ALTER TABLE public.posts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.posts_id_seq
);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX ix_users_email ON public.users USING btree (email);

ALTER TABLE ONLY public.posts
    ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

\unrestrict 8fGkqDSx2
