import Foundation
import Testing
import TrackingCore

@Suite("Helpers that reproduce Python's formatting")
struct SupportTests {
    @Test(arguments: [
        ("a/../b", "b"), ("a//b", "a/b"), ("/a/./b/", "/a/b"), ("//a", "//a"), ("///a", "/a"), ("..", ".."),
        ("a/..", "."), ("", "."), ("../../x", "../../x"), ("/..", "/"),
    ])
    func posixNormpath(path: String, expected: String) {
        #expect(PosixPath.normalize(path) == expected)
    }

    @Test(arguments: [("abc", "'abc'"), ("it's", "\"it's\""), ("a\"b'c", "'a\"b\\'c'"), ("a\nb", "'a\\nb'")])
    func pythonRepr(value: String, expected: String) {
        #expect(PythonRepr.string(value) == expected)
    }

    @Test func pythonJSON() {
        #expect(PythonJSON.string("é\"\n") == #""\u00e9\"\n""#)
    }

    @Test func runIdsAndNames() {
        let id = RunID.make()
        #expect(id.count == 32)
        #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let name = RunNameGenerator.next()
        let parts = name.split(separator: "-")
        #expect(parts.count == 3)
        #expect(Int(parts[2]).map { (0...1000).contains($0) } == true)
        #expect(name.count <= 20)
    }

    @Test func errorTable() {
        #expect(ErrorCode.resourceAlreadyExists.httpStatus == 400)
        #expect(ErrorCode.resourceDoesNotExist.httpStatus == 404)
        #expect(ErrorCode.resourceDoesNotExist.errorClass == "RESOURCE_NOT_FOUND")
        #expect(ErrorCode.internalError.httpStatus == 500)
        #expect(ErrorCode.temporarilyUnavailable.httpStatus == 503)
        #expect(ErrorCode.invalidParameterValue.sqlState == "KAM00")
    }

    @Test func artifactLocations() {
        #expect(ArtifactLocation.append("file:///a/b", "0") == "file:///a/b/0")
        #expect(ArtifactLocation.append("s3://bucket/", "7", "run", "artifacts") == "s3://bucket/7/run/artifacts")
    }
}
