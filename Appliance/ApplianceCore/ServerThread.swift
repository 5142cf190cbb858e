#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread running one closure: the server's accept loop and each connection handler.
///
/// Plain threads rather than a dispatch queue: every handler blocks in `poll` and in `DecisionEngine.submit`,
/// and the connection limit bounds how many exist, so one thread per connection is the simplest honest model.
enum ServerThread {
    /// Starts `body` on a new detached thread; false if the system would not create one.
    static func spawn(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Body(body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { argument in
            guard let argument else { return nil }
            let body = Unmanaged<Body>.fromOpaque(argument).takeRetainedValue()
            body.run()
            return nil
        }, box.toOpaque())
        if rc != 0 {
            box.release()
            return false
        }
        return true
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
