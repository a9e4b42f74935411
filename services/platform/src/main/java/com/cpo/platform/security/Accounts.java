package com.cpo.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.cpo.platform.PlatformConfig;
import com.cpo.platform.persistence.UserEntity;
import com.cpo.platform.service.ConflictException;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.NotFoundException;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;

/**
 * People's accounts in PostgreSQL (the embedded default): the first administrator, made at the first start with a
 * generated password written to a file only the service's user may read, and what an administrator does with accounts.
 * Passwords are kept as bcrypt hashes (cost 12); a generated password is shown once, to the administrator who asked.
 */
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String FIRST_ADMIN = "admin";
    /** A password chosen by its user has at least this many characters. */
    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final int BCRYPT_COST = 12;

    /** An account as an administrator sees it. */
    public record Account(String username, List<String> roles, boolean enabled, String createdBy, Instant createdAt) {
    }

    /** An account with the password just generated for it: shown once. */
    public record Issued(Account account, String password) {
    }

    private final EntityManager em;
    private final PlatformConfig config;

    Accounts(EntityManager em, PlatformConfig config) {
        this.em = em;
        this.config = config;
    }

    /** On a database without accounts: the first administrator, its password into the configured file. */
    @Transactional
    void firstAdministrator(@Observes StartupEvent start) {
        Number count = (Number) em.createNativeQuery("SELECT count(*) FROM app_users").getSingleResult();
        if (count.longValue() > 0) {
            return;
        }
        String password = generatePassword();
        int inserted = em.createNativeQuery("INSERT INTO app_users (username, password_hash, roles, created_by) "
                + "VALUES (:u, :h, :r, 'first start') ON CONFLICT (username) DO NOTHING")
                .setParameter("u", FIRST_ADMIN).setParameter("h", BcryptUtil.bcryptHash(password, BCRYPT_COST))
                .setParameter("r", Roles.ADMIN).executeUpdate();
        if (inserted == 0) {
            return; // another instance made it at the same moment
        }
        Path file = Path.of(config.security().adminPasswordFile()).toAbsolutePath();
        writeOwnerOnly(file, password + "\n");
        LOG.infof("First start: user '%s' (role admin) created; its password is in %s, readable by this service's user only. "
                + "Log in, create the engineers' accounts, change this password and delete the file.", FIRST_ADMIN, file);
    }

    static void writeOwnerOnly(Path file, String text) {
        try {
            Path dir = file.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first administrator's password to " + file
                    + " (cpo.platform.security.admin-password-file): " + e.getMessage(), e);
        }
    }

    @Transactional
    public List<Account> list() {
        return em.createQuery("FROM UserEntity ORDER BY username", UserEntity.class).getResultList().stream().map(Accounts::account).toList();
    }

    /** A new account with a generated password, shown once in the answer. */
    @Transactional
    public Issued create(String username, String roles, String by) {
        String name = username == null ? "" : username.strip();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
            throw new InvalidRequestException("username", "A user name has 1 to 64 letters, digits, '.', '_', '@' or '-', "
                    + "and starts with a letter or digit; '" + username + "' does not.");
        }
        if (find(name) != null) {
            throw new ConflictException("User '" + name + "' exists already.");
        }
        String password = generatePassword();
        UserEntity user = new UserEntity(name, BcryptUtil.bcryptHash(password, BCRYPT_COST), checkedRoles(roles), by, Instant.now());
        em.persist(user);
        LOG.infof("user '%s' created by %s with roles %s", name, by, user.getRoles());
        return new Issued(account(user), password);
    }

    @Transactional
    public Account setRoles(String username, String roles, String by) {
        UserEntity user = existing(username);
        user.setRoles(checkedRoles(roles));
        user.setEnabled(true);
        LOG.infof("roles of '%s' set to %s by %s", username, user.getRoles(), by);
        return account(user);
    }

    /** A new generated password, shown once. */
    @Transactional
    public Issued resetPassword(String username, String by) {
        UserEntity user = existing(username);
        String password = generatePassword();
        user.setPasswordHash(BcryptUtil.bcryptHash(password, BCRYPT_COST));
        LOG.infof("password of '%s' reset by %s", username, by);
        return new Issued(account(user), password);
    }

    /** The user changes their own password. */
    @Transactional
    public void changeOwnPassword(String username, String current, String chosen) {
        UserEntity user = existing(username);
        String hash = (String) em.createNativeQuery("SELECT password_hash FROM app_users WHERE username = :u").setParameter("u", username)
                .getSingleResult();
        if (current == null || !BcryptUtil.matches(current, hash)) {
            throw new InvalidRequestException("currentPassword", "The current password is not right.");
        }
        if (chosen == null || chosen.length() < MIN_PASSWORD_LENGTH || chosen.length() > 200) {
            throw new InvalidRequestException("newPassword", "A new password has " + MIN_PASSWORD_LENGTH + " to 200 characters.");
        }
        user.setPasswordHash(BcryptUtil.bcryptHash(chosen, BCRYPT_COST));
        LOG.infof("user '%s' changed their password", username);
    }

    /** Disables an account: it cannot log in, and a session it has loses every role. Its row stays for the audit. */
    @Transactional
    public Account disable(String username, String by) {
        if (username.equals(by)) {
            throw new ConflictException("Administrators cannot disable their own account.");
        }
        UserEntity user = existing(username);
        user.setEnabled(false);
        user.setRoles("");
        user.setPasswordHash(BcryptUtil.bcryptHash(generatePassword(), BCRYPT_COST));
        LOG.infof("user '%s' disabled by %s", username, by);
        return account(user);
    }

    private UserEntity find(String username) {
        return em.createQuery("FROM UserEntity WHERE username = :u", UserEntity.class).setParameter("u", username)
                .getResultStream().findFirst().orElse(null);
    }

    private UserEntity existing(String username) {
        UserEntity user = find(username);
        if (user == null) {
            throw new NotFoundException("No user '" + username + "'.");
        }
        return user;
    }

    private static String checkedRoles(String roles) {
        try {
            return Roles.parse(roles == null ? "" : roles);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("roles", "Roles: " + e.getMessage() + ".");
        }
    }

    private static Account account(UserEntity u) {
        return new Account(u.getUsername(), u.getRoles().isEmpty() ? List.of() : List.of(u.getRoles().split(",")), u.isEnabled(),
                u.getCreatedBy(), u.getCreatedAt());
    }

    /** 20 characters from 15 random bytes, URL-safe Base64. */
    static String generatePassword() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
