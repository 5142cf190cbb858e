/// The replay server could not start.
public struct ReplayHTTPServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
