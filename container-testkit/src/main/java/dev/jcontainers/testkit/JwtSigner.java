package dev.jcontainers.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Signs compact JWS tokens with ES256. The header carries the signing certificate as an
 * {@code x5c} chain, which is how Distribution's token authenticator finds and checks the key
 * against its {@code rootcertbundle}.
 */
final class JwtSigner {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final ObjectMapper json;
    private final TestPki.KeyAndCertificate signer;

    JwtSigner(ObjectMapper json, TestPki.KeyAndCertificate signer) {
        this.json = json;
        this.signer = signer;
    }

    String sign(ObjectNode claims) {
        try {
            ObjectNode header = json.createObjectNode().put("typ", "JWT").put("alg", "ES256");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(signer.certificate().getEncoded()));
            String signingInput = URL.encodeToString(json.writeValueAsBytes(header)) + "."
                    + URL.encodeToString(json.writeValueAsBytes(claims));
            // JWS wants the raw R||S form, not the DER the plain SHA256withECDSA would produce.
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(signer.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }
}
