import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the ingest hot path: binding a
/// row costs a few C calls instead of building `StatementArguments` (an array of boxed
/// values) per row. Used only inside one `Store.write` transaction on that connection; the
/// statement is finalized when the value is released. All raw SQLite calls of the IO module
/// stay in this file.
///
/// Binding rules: parameters are 1-based; text is copied by SQLite (`SQLITE_TRANSIENT`), so
/// the Swift string may go away right after the call; nil binds NULL.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(message: "the database is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// SQLite's "copy the bytes now" destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @inline(__always) func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            // A zero-length buffer may have no base address; SQLite wants a non-NULL pointer for ''.
            if let base = bytes.baseAddress {
                _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                      Int32(bytes.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    /// Text that SQLite reads in place (`SQLITE_STATIC`): `bytes` must stay valid and unchanged
    /// until the statement has been stepped and reset, or bound again.
    @inline(__always) func bindStatic(_ index: Int32, _ bytes: UnsafePointer<UInt8>, count: Int) {
        _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }

    /// A static string (a string literal lives as long as the program).
    @inline(__always) func bindStatic(_ index: Int32, _ text: StaticString) {
        bindStatic(index, text.utf8Start, count: text.utf8CodeUnitCount)
    }

    @inline(__always) func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    @inline(__always) func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    @inline(__always) func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed
    /// (`sqlite3_changes`). The statement is reset, so it can be bound again.
    @discardableResult
    func run() throws -> Int {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
        return Int(sqlite3_changes(connection))
    }

    /// Steps a query; true when a row is available (read it with `int64`/`text`), false when
    /// done. Call `reset()` when finished with the rows.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        sqlite3_reset(handle)
        throw error(code)
    }

    func reset() { sqlite3_reset(handle) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The bytes of a TEXT (or BLOB) column, valid until the next `step`/`reset`: no `String`
    /// is made (the fit path hands them straight to the tokenizer).
    func withBytes<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        // sqlite3_column_text first (converts to UTF-8 if needed), then the byte count.
        let base = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeBufferPointer(start: base, count: base == nil ? 0 : count))
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}
