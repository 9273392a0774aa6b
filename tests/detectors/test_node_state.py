"""Node.js writable state (issue 12, class 3): what a server writes inside its folder at run time."""

from __future__ import annotations

from typing import Any

import pytest

from dockgen._project import Project
from dockgen.detectors import node


def writable(tree, source: str, *, deps: tuple[str, ...] = ("express",), **files: Any) -> list[str]:
    manifest = {"name": "app", "main": "server.js", "dependencies": dict.fromkeys(deps, "*")}
    result = node.plan(Project(tree({"package.json": manifest, "server.js": source, **files})))
    return result.get("writable_paths", [])


@pytest.mark.parametrize(
    ("source", "paths"),
    [
        # folders the code makes, however the path is written
        ('fs.mkdirSync("./data", { recursive: true });', ["data/"]),
        ("await fs.promises.mkdir('uploads/avatars', { recursive: true });", ["uploads/avatars/"]),
        ("mkdirp.sync('cache-files');\nfse.ensureDirSync(`exports`);", ["exports/"]),
        ("fs.mkdirSync(path.join(__dirname, 'storage'));", ["storage/"]),
        ("fs.mkdirSync(path.resolve(process.cwd(), 'var', 'sessions'));", ["var/sessions/"]),
        ("fs.mkdirSync(`${__dirname}/backups`);", ["backups/"]),
        # a name bound to a path, on its own line or several (prettier puts arguments on lines)
        (
            "const dir = path.join(__dirname, 'files');\nfs.mkdirSync(\n  dir,\n  { recursive: true }\n);",
            ["files/"],
        ),
        ("const root = path.resolve(__dirname, '..');\nfs.mkdirSync(path.join(root, 'data'));", []),
        # the data folder an environment variable moves (uptime-kuma: DATA_DIR || ./data/)
        ('Database.dataDir = process.env.DATA_DIR || args["data-dir"] || "./data/";', ["data/"]),
        ("const db = process.env.DB_PATH ?? 'app.sqlite';", ["app.sqlite"]),
        # an environment schema's default (kutt: envalid's DB_FILENAME, a SQLite file in db/)
        ('const env = cleanEnv(process.env, {\n  DB_FILENAME: str({ default: "db/data" }),\n});', ["db/"]),
        ('export const Env = z.object({ UPLOAD_DIR: z.string().default("./files") });', ["files/"]),
        ('cleanEnv(process.env, { DB_NAME: str({ default: "kutt" }) });', []),
        # a JSON schema's default, over several lines, braces in a pattern (fastify/demo's @fastify/env)
        (
            "const schema = { properties: {\n  UPLOAD_DIRNAME: {\n    type: 'string',\n"
            "    pattern: '^(?!.*\\\\.{2}).*$',\n    default: 'uploads'\n  }\n} };",
            ["uploads/"],
        ),
        ("const schema = { LOG_LEVEL: {\n type: 'string',\n default: 'info'\n } };", []),
        # a variable that does not name a place for data is not a finding by itself
        ("const host = process.env.HOST || 'localhost';", []),
        # log files: a file at the top, the folder of one further down
        ("const log = fs.createWriteStream('access.log', { flags: 'a' });", ["access.log"]),
        ("fs.appendFileSync(path.join(__dirname, 'logs', 'app.log'), line);", ["logs/"]),
        ("new winston.transports.File({ filename: 'logs/error.log', level: 'error' })", ["logs/"]),
        # never state: temporary folders, the install's and the build's folders, absolute paths
        ("fs.mkdirSync('tmp/x'); fs.mkdirSync('node_modules/.cache/x'); fs.mkdirSync('/var/lib/app');", []),
        ("fs.mkdirSync(path.join(__dirname, '..', '..', 'outside'));", []),
        # a commented-out write is not a write
        ("// fs.mkdirSync('./data');\n/* fs.mkdirSync('uploads') */", []),
        # a folder found first covers what is inside it; a folder found later replaces its contents
        ("fs.mkdirSync('data'); fs.mkdirSync('data/backups');", ["data/"]),
        ("fs.mkdirSync('data/backups'); fs.mkdirSync('data');", ["data/"]),
    ],
)
def test_paths_the_server_writes(tree, source: str, paths: list[str]) -> None:
    assert writable(tree, source) == paths


@pytest.mark.parametrize(
    ("source", "deps", "paths"),
    [
        ("const db = new Database('app.db');", ("better-sqlite3",), ["app.db"]),
        ("const db = new sqlite3.Database('./data/app.sqlite3');", ("sqlite3",), ["data/app.sqlite3"]),
        ("const { DatabaseSync } = require('node:sqlite');\nnew DatabaseSync('notes.db');", (), ["notes.db"]),
        ("new Database(':memory:');", ("better-sqlite3",), []),
        # without a SQLite driver, `new Database('x.db')` is some other client's name for a database
        ("const db = new Database('x.db');", ("express",), []),
        (
            "knex({ client: 'sqlite3', connection: { filename: './dev.sqlite3' } });",
            ("knex", "sqlite3"),
            ["dev.sqlite3"],
        ),
        (
            "new Sequelize({ dialect: 'sqlite', storage: 'database.sqlite' });",
            ("sequelize",),
            ["database.sqlite"],
        ),
        ("new DataSource({ type: 'mysql', database: 'shop' });", ("typeorm", "mysql2"), []),
        # uploads: multer's dest and diskStorage, formidable's uploadDir; only with the package
        ("multer({ dest: 'uploads/' })", ("multer",), ["uploads/"]),
        (
            "multer.diskStorage({ destination: (req, file, cb) => { cb(null, 'public/uploads'); } })",
            ("multer",),
            ["public/uploads/"],
        ),
        ("formidable({ uploadDir: path.join(__dirname, 'incoming') })", ("formidable",), ["incoming/"]),
        ("gulp.src('x').pipe(somePlugin({ dest: 'out' }))", ("express",), []),
    ],
)
def test_databases_and_uploads(tree, source: str, deps: tuple[str, ...], paths: list[str]) -> None:
    assert writable(tree, source, deps=deps) == paths


def test_the_reason_names_the_file(tree) -> None:
    manifest = {"name": "app", "main": "src/index.js", "dependencies": {"express": "*"}}
    source = "const dataDir = process.env.DATA_DIR || './data/';\nfs.mkdirSync(dataDir);\n"
    result = node.plan(Project(tree({"package.json": manifest, "src/index.js": source})))
    assert result["writable_paths"] == ["data/"]
    assert result.reasons["writable_paths"] == "data/: src/index.js: DATA_DIR defaults to data"


def test_tests_scripts_and_configs_are_not_the_app(tree) -> None:
    files = {
        "test/setup.js": "fs.mkdirSync('fixtures-out');",
        "src/app.test.js": "fs.mkdirSync('snapshots');",
        "scripts/build.js": "fs.mkdirSync('release');",
        "vite.config.js": "fs.mkdirSync('generated');",
        "docs/api/generate.js": "fs.mkdirSync('docs/api/static');",
    }
    assert writable(tree, "require('./src/app');", **files) == []


def test_dirname_in_compiled_typescript_is_the_output_folder(tree) -> None:
    manifest = {
        "name": "app",
        "scripts": {"build": "tsc", "start": "node dist/server.js"},
        "dependencies": {"express": "*"},
        "devDependencies": {"typescript": "*"},
    }
    files = {
        "package.json": manifest,
        "tsconfig.json": {"compilerOptions": {"outDir": "dist", "rootDir": "src"}},
        # dist/routes/upload.js at run time: ../../uploads is the app's uploads/, ./cache is dist's
        "src/routes/upload.ts": "fs.mkdirSync(path.join(__dirname, '..', '..', 'uploads'));",
        "src/server.ts": "fs.mkdirSync(path.join(__dirname, 'sessions'));",
    }
    result = node.plan(Project(tree(files)))
    assert result["writable_paths"] == ["uploads/"]


def test_a_server_framework_gets_them_too(tree) -> None:
    manifest = {
        "name": "app",
        "scripts": {"build": "vite build", "start": "node build"},
        "dependencies": {"better-sqlite3": "*"},
        "devDependencies": {"@sveltejs/kit": "*", "@sveltejs/adapter-node": "*", "vite": "*"},
    }
    files = {
        "package.json": manifest,
        "svelte.config.js": "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };",
        "src/lib/server/db.ts": "export const db = new Database('local.db');",
    }
    result = node.plan(Project(tree(files)))
    assert result["framework"] == "sveltekit"
    assert result["writable_paths"] == ["local.db"]


def test_at_most_five_first_found_first(tree) -> None:
    source = "\n".join(f"fs.mkdirSync('d{i}');" for i in range(8))
    assert writable(tree, source) == ["d0/", "d1/", "d2/", "d3/", "d4/"]


def test_a_static_site_writes_nothing(tree) -> None:
    manifest = {"name": "site", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "*"}}
    files = {"package.json": manifest, "index.html": "<div id=app></div>", "src/main.js": "fs.mkdirSync('x')"}
    result = node.plan(Project(tree(files)))
    assert result.get("static_site") is True
    assert "writable_paths" not in result.answers
