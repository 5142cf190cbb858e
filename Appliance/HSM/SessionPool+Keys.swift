import CPKCS11

extension SessionPool {
    /// The secp256k1 key pair labelled `label`.
    public func findKey(label: String) throws -> TokenKey {
        try withSession { session in
            guard let key = try lookUpKey(label: label, session: session) else {
                throw HSMError(.keyNotFound, "no key labelled \"\(label)\" on token \"\(token.label)\"",
                               hint: "run `appliance init` to generate it, or check the key label")
            }
            return key
        }
    }

    /// The key labelled `label`, generating it inside the token if there is none. `created` says which.
    public func findOrGenerateKey(label: String) throws -> (key: TokenKey, created: Bool) {
        if let key = try withSession({ try lookUpKey(label: label, session: $0) }) {
            return (key, false)
        }
        return (try generateKey(label: label), true)
    }

    /// Generates a new secp256k1 key pair labelled `label` inside the token.
    ///
    /// The private key is a token object that is private, sensitive and not extractable: it can sign and nothing
    /// else, and no PKCS#11 call returns its value.
    public func generateKey(label: String) throws -> TokenKey {
        guard !label.isEmpty, label.utf8.count <= 64 else {
            throw HSMError(.keyNotFound, "a key label is 1 to 64 bytes: \"\(label)\"", hint: "choose a shorter key label")
        }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let labelBytes = Array(label.utf8)
        let publicTemplate = AttributeTemplate()
            .add(CKA_CLASS, ulong: CK_ULONG(CKO_PUBLIC_KEY))
            .add(CKA_KEY_TYPE, ulong: CK_ULONG(CKK_EC))
            .add(CKA_EC_PARAMS, bytes: ECPoint.secp256k1Parameters)
            .add(CKA_TOKEN, bool: true)
            .add(CKA_PRIVATE, bool: false)
            .add(CKA_VERIFY, bool: true)
            .add(CKA_LABEL, bytes: labelBytes)
            .add(CKA_ID, bytes: id)
        let privateTemplate = AttributeTemplate()
            .add(CKA_CLASS, ulong: CK_ULONG(CKO_PRIVATE_KEY))
            .add(CKA_KEY_TYPE, ulong: CK_ULONG(CKK_EC))
            .add(CKA_TOKEN, bool: true)
            .add(CKA_PRIVATE, bool: true)
            .add(CKA_SENSITIVE, bool: true)
            .add(CKA_EXTRACTABLE, bool: false)
            .add(CKA_SIGN, bool: true)
            .add(CKA_LABEL, bytes: labelBytes)
            .add(CKA_ID, bytes: id)
        let module = token.module
        return try withSession { session in
            var mechanism = CK_MECHANISM(mechanism: CK_MECHANISM_TYPE(CKM_EC_KEY_PAIR_GEN), pParameter: nil,
                                         ulParameterLen: 0)
            var publicHandle = CK_OBJECT_HANDLE(0)
            var privateHandle = CK_OBJECT_HANDLE(0)
            let generate = try module.function(module.functions.pointee.C_GenerateKeyPair, "C_GenerateKeyPair")
            let rv = publicTemplate.withAttributes { publicAttributes, publicCount in
                privateTemplate.withAttributes { privateAttributes, privateCount in
                    generate(session, &mechanism, publicAttributes, publicCount, privateAttributes, privateCount,
                             &publicHandle, &privateHandle)
                }
            }
            try module.check(rv, "C_GenerateKeyPair (secp256k1)",
                             hint: "the module must support CKM_EC_KEY_PAIR_GEN on secp256k1 (SoftHSM2 2.6 does)")
            let point = try attribute(CKA_EC_POINT, of: publicHandle, session: session)
            let publicKey = try Secp256k1PublicKey(uncompressed: ECPoint.uncompressedPoint(fromDER: point))
            return TokenKey(label: label, id: id, privateKeyHandle: privateHandle, publicKey: publicKey)
        }
    }

    /// Reads attribute `type` of the key's private half. The token refuses sensitive attributes such as
    /// `CKA_VALUE` with an `HSMError` of code `.attributeSensitive`; this exists so tests can prove it does.
    public func privateKeyAttribute(_ type: UInt, of key: TokenKey) throws -> [UInt8] {
        try withSession { try attribute(type, of: key.privateKeyHandle, session: $0) }
    }

    /// A signer for `key` that borrows sessions from this pool.
    public func signer(for key: TokenKey) -> HSMSigner {
        HSMSigner(pool: self, key: key)
    }

    /// A signer for the key labelled `label`.
    public func signer(label: String) throws -> HSMSigner {
        signer(for: try findKey(label: label))
    }

    private func lookUpKey(label: String, session: CK_SESSION_HANDLE) throws -> TokenKey? {
        let privateHandles = try findObjects(class: CKO_PRIVATE_KEY, label: label, session: session)
        guard !privateHandles.isEmpty else { return nil }
        guard privateHandles.count == 1 else {
            throw HSMError(.keyAmbiguous, "\(privateHandles.count) private keys labelled \"\(label)\" on token "
                               + "\"\(token.label)\"",
                           hint: "delete the extra keys or use a distinct label")
        }
        let publicHandles = try findObjects(class: CKO_PUBLIC_KEY, label: label, session: session)
        guard publicHandles.count == 1 else {
            throw HSMError(.keyInvalid, "the key \"\(label)\" on token \"\(token.label)\" has "
                               + "\(publicHandles.count) public halves, expected 1",
                           hint: "delete the stray objects or use a distinct label")
        }
        let parameters = try attribute(CKA_EC_PARAMS, of: publicHandles[0], session: session)
        guard parameters == ECPoint.secp256k1Parameters else {
            throw HSMError(.keyInvalid, "the key \"\(label)\" on token \"\(token.label)\" is not on secp256k1",
                           hint: "generate a secp256k1 key (appliance init does) under another label")
        }
        let point = try attribute(CKA_EC_POINT, of: publicHandles[0], session: session)
        let publicKey = try Secp256k1PublicKey(uncompressed: ECPoint.uncompressedPoint(fromDER: point))
        let id = try attribute(CKA_ID, of: privateHandles[0], session: session)
        return TokenKey(label: label, id: id, privateKeyHandle: privateHandles[0], publicKey: publicKey)
    }

    private func findObjects(class objectClass: UInt, label: String, session: CK_SESSION_HANDLE) throws
        -> [CK_OBJECT_HANDLE]
    {
        let module = token.module
        let f = module.functions.pointee
        let template = AttributeTemplate()
            .add(CKA_CLASS, ulong: CK_ULONG(objectClass))
            .add(CKA_LABEL, bytes: Array(label.utf8))
        try template.withAttributes { attributes, count in
            try module.check(module.function(f.C_FindObjectsInit, "C_FindObjectsInit")(session, attributes, count),
                             "C_FindObjectsInit")
        }
        defer { _ = f.C_FindObjectsFinal?(session) }
        var handles = [CK_OBJECT_HANDLE](repeating: 0, count: 8)
        var found = CK_ULONG(0)
        try module.check(
            module.function(f.C_FindObjects, "C_FindObjects")(session, &handles, CK_ULONG(handles.count), &found),
            "C_FindObjects")
        return Array(handles.prefix(Int(found)))
    }

    private func attribute(_ type: UInt, of object: CK_OBJECT_HANDLE, session: CK_SESSION_HANDLE) throws -> [UInt8] {
        let module = token.module
        let getAttribute = try module.function(module.functions.pointee.C_GetAttributeValue, "C_GetAttributeValue")
        var query = CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(type), pValue: nil, ulValueLen: 0)
        try module.check(getAttribute(session, object, &query, 1), "C_GetAttributeValue")
        guard query.ulValueLen != CK_ULONG.max, query.ulValueLen <= 1 << 16 else {
            throw HSMError(.pkcs11Failure, "the token reports no usable length for attribute 0x\(String(type, radix: 16))",
                           hint: "check the key object is complete")
        }
        var value = [UInt8](repeating: 0, count: Int(query.ulValueLen))
        try value.withUnsafeMutableBytes { buffer in
            query.pValue = buffer.baseAddress
            try module.check(getAttribute(session, object, &query, 1), "C_GetAttributeValue")
        }
        return Array(value.prefix(Int(query.ulValueLen)))
    }
}
