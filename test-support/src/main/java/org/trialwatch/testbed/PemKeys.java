package org.trialwatch.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The development key pair (test-support's dev-keys/): tokens are signed with one and verified with the other. */
public final class PemKeys {

    private PemKeys() {
    }

    public static PrivateKey devPrivateKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der("/dev-keys/jwt-private.pem")));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development signing key", e);
        }
    }

    public static PublicKey devPublicKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der("/dev-keys/jwt-public.pem")));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development verification key", e);
        }
    }

    private static byte[] der(String resource) {
        try (InputStream in = PemKeys.class.getResourceAsStream(resource)) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return Base64.getDecoder().decode(pem);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}
