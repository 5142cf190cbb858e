import Foundation

/// Where a PostgreSQL store is, parsed from a libpq-style URL:
/// `postgres://user[:password]@host[:port]/database`, or for a Unix socket
/// `postgres://user@localhost[:port]/database?host=/socket/dir` (the socket is `/socket/dir/.s.PGSQL.<port>`).
///
/// The user defaults to `postgres`, the port to 5432 and the database to the user's name.
public struct PostgresStoreURL: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public let endpoint: Endpoint
    public let username: String
    public let password: String?
    public let database: String

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(PostgresStoreError) {
        let usage = "use postgres://user[:password]@host[:port]/database (or ?host=/socket/dir for a Unix socket)"
        guard Self.isPostgresURL(text), let components = URLComponents(string: text) else {
            throw PostgresStoreError(.badURL, "not a PostgreSQL URL: \(Self.redacted(text))", hint: usage)
        }
        let username = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        guard !database.contains("/") else {
            throw PostgresStoreError(.badURL, "the database name in \(Self.redacted(text)) contains '/'",
                                     hint: usage)
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else {
            throw PostgresStoreError(.badURL, "port \(port) is out of range in \(Self.redacted(text))", hint: usage)
        }
        let known: Set<String> = ["host", "port", "user", "password", "dbname"]
        if let unknown = components.queryItems?.first(where: { !known.contains($0.name) }) {
            throw PostgresStoreError(.badURL, "unknown URL parameter \(unknown.name) in \(Self.redacted(text))",
                                     hint: usage)
        }
        let socketDirectory = components.queryItems?.first { $0.name == "host" }?.value
            ?? components.host.flatMap { $0.hasPrefix("/") ? $0 : nil }
        if let socketDirectory {
            endpoint = .unixSocket(path: socketDirectory + "/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw PostgresStoreError(.badURL, "no host in \(Self.redacted(text))", hint: usage)
        }
        self.username = username
        self.password = components.password
        self.database = database.isEmpty ? username : database
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        let user = password == nil ? username : username + ":***"
        switch endpoint {
        case .tcp(let host, let port):
            return "postgres://\(user)@\(host):\(port)/\(database)"
        case .unixSocket(let path):
            return "postgres://\(user)@localhost/\(database)?host=\((path as NSString).deletingLastPathComponent)"
        }
    }

    /// `text` with any password replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(unparseable URL)"
    }
}
